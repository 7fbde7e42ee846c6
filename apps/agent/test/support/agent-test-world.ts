import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepResultPayload, StepRunPayload } from '@flotilla/protocol';
import { packRecipeBundle, type PackedRecipeBundle } from '@flotilla/recipes';
import { TestNetwork, runCommand, type TestHost } from '../../../../test/support/netns';
import { AgentProcess } from './agent-process';
import { DmHarness } from './dm-harness';

/** The fixture application template (Roboconf layout: graph/<Component>/scripts). */
const TEMPLATE_DIR = join(__dirname, '..', 'fixtures', 'template');

/** What a test changes in a step command; the rest gets defaults. */
export interface StepCommandInput {
  readonly component: string;
  readonly instancePath: string;
  readonly step: StepRunPayload['step'];
  readonly exports?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly installer?: string;
  readonly withBundle?: boolean;
}

/**
 * One agent test's world: a test network with its hosts, the test DM, agent processes, their data
 * directories and the packed fixture bundles; `destroy()` removes all of it, even after a failure.
 */
export class AgentTestWorld {
  private readonly processes: AgentProcess[] = [];
  private readonly hosts: TestHost[] = [];
  private readonly bundles = new Map<string, PackedRecipeBundle>();

  private constructor(
    readonly network: TestNetwork,
    readonly dm: DmHarness,
    readonly directory: string,
  ) {}

  /** Creates the network, the test DM and a scratch directory. */
  static async create(): Promise<AgentTestWorld> {
    const network = await TestNetwork.create();
    try {
      const dm = await DmHarness.start();
      const directory = await mkdtemp(join(tmpdir(), 'flotilla-agent-test-'));
      return new AgentTestWorld(network, dm, directory);
    } catch (error: unknown) {
      await network.destroy();
      throw error;
    }
  }

  /** Adds a host (network namespace) to the test network. */
  async addHost(name: string): Promise<TestHost> {
    const host = await this.network.addHost(name);
    this.hosts.push(host);
    return host;
  }

  /** The data directory of the agent of `name` (kept across its restarts). */
  dataDir(agentName: string): string {
    return join(this.directory, agentName);
  }

  /** Starts a real agent process in `host` against the test DM, managed nft firewall by default. */
  startAgent(host: TestHost, agentName: string, extra: Record<string, string> = {}): AgentProcess {
    const agent = AgentProcess.start(host, {
      FLOTILLA_AGENT_NAME: agentName,
      FLOTILLA_AMQP_URL: this.dm.enrollmentUrl(this.network.gatewayAddress),
      FLOTILLA_BROKER_NAMESPACE: this.dm.broker.id,
      FLOTILLA_DM_THUMBPRINT: this.dm.identity.thumbprint,
      FLOTILLA_DATA_DIR: this.dataDir(agentName),
      FLOTILLA_FIREWALL: 'nft',
      FLOTILLA_FIREWALL_MANAGED: 'true',
      FLOTILLA_ALWAYS_OPEN_PORTS: '22/tcp',
      FLOTILLA_HEARTBEAT_INTERVAL_MS: '1000',
      FLOTILLA_LOG_LEVEL: 'debug',
      ...extra,
    });
    this.processes.push(agent);
    return agent;
  }

  /** Starts an agent the DM accepts at once, and resolves after its first inventory. */
  async startAcceptedAgent(host: TestHost, agentName: string, extra: Record<string, string> = {}) {
    this.dm.decisions.set(agentName, 'accepted');
    const agent = this.startAgent(host, agentName, extra);
    await this.dm.inbox.waitFor('agent.inventory.v1').catch((error: unknown) => {
      throw new Error(`${String(error)}\nagent log:\n${agent.log}`);
    });
    return agent;
  }

  /** Packs (once) the fixture bundle of `component` and ships it to the agent. */
  async shipBundle(agentName: string, component: string): Promise<PackedRecipeBundle> {
    const packed = this.bundles.get(component) ?? (await packRecipeBundle(TEMPLATE_DIR, component));
    this.bundles.set(component, packed);
    await this.dm.send(agentName, 'dm.recipe.bundle.v1', {
      bundle: this.bundleRef(component, packed.digest),
      content: packed.bytes.toString('base64'),
    });
    return packed;
  }

  /** A complete `dm.step.run.v1` payload for one step of one instance. */
  stepCommand(input: StepCommandInput): StepRunPayload {
    const packed = this.bundles.get(input.component);
    const withBundle = input.withBundle ?? true;
    return {
      jobId: randomUUID(),
      attempt: 1,
      application: 'agent-test',
      instance: {
        name: input.instancePath.split('/').pop() ?? 'instance',
        path: input.instancePath,
        component: input.component,
        installer: input.installer ?? 'script',
      },
      step: input.step,
      ...(withBundle && packed !== undefined
        ? { bundle: this.bundleRef(input.component, packed.digest) }
        : {}),
      exports: input.exports ?? {},
      randomPorts: [],
      imports: {},
      ancestors: [],
      timeoutMs: input.timeoutMs ?? 30_000,
    };
  }

  /** Sends a step command and resolves with its result. */
  async runStep(agentName: string, command: StepRunPayload): Promise<StepResultPayload> {
    await this.dm.send(agentName, 'dm.step.run.v1', command, { jobId: command.jobId });
    return this.dm.inbox.waitFor<StepResultPayload>(
      'agent.step.result.v1',
      (result) => result.jobId === command.jobId,
    );
  }

  /** The agent's instance records as it persisted them. */
  async instanceStates(agentName: string): Promise<Record<string, { state: string }>> {
    const text = await readFile(join(this.dataDir(agentName), 'instances.json'), 'utf8');
    return JSON.parse(text) as Record<string, { state: string }>;
  }

  /**
   * Stops every agent, kills what is left in the hosts, removes the network, broker slice and
   * files; every part is attempted even when an earlier one fails, and the first failure is thrown.
   */
  async destroy(): Promise<void> {
    const failures: unknown[] = [];
    const attempt = async (part: () => Promise<unknown>): Promise<void> => {
      await part().catch((error: unknown) => failures.push(error));
    };
    await attempt(() => Promise.all(this.processes.map((agent) => agent.stop())));
    for (const host of this.hosts) {
      await attempt(() => killEverythingIn(host));
    }
    await attempt(() => this.network.destroy());
    await attempt(() => this.dm.stop());
    await attempt(() => rm(this.directory, { recursive: true, force: true }));
    if (failures.length > 0) {
      throw failures[0];
    }
  }

  private bundleRef(component: string, digest: string) {
    return { templateName: 'agent-test', templateVersion: '1.0', component, digest };
  }
}

/** Kills every process left in a host (servers started by recipes, orphans of a killed agent). */
async function killEverythingIn(host: TestHost): Promise<void> {
  const pids = await runCommand('ip', ['netns', 'pids', host.namespace]);
  const alive = pids.stdout.split('\n').filter((pid) => pid.trim() !== '');
  if (alive.length > 0) {
    await runCommand('kill', ['-9', ...alive]);
  }
}
