import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDmIdentity } from '@flotilla/dm';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../libs/messaging/testing';
import { TestNetwork, type TestHost } from '../../support/netns';
import { tarGzOf } from '../../e2e/support/template-archive';
import { E2E_ADMIN_PASSWORD, TestDmHome } from '../../e2e/support/test-dm';
import { AgentProcess } from './agent-process';
import { DmApi, type ListedAgent } from './dm-api';
import { DmProcess } from './dm-process';
import {
  FLEET_APP,
  FLEET_TEMPLATE,
  rootOf,
  writeFleetTemplate,
  type FleetShape,
} from './fleet-template';
import { createEnrollmentUser } from '../../e2e/support/agent-enrollment';

const ENROLL_PASSWORD = 'faults-enroll-secret';
const ENROLL_TIMEOUT_MS = 90_000;
/** The host every probe and attack comes from; it runs no agent. */
export const CLIENT_HOST = 'client';
/** Broker connections an agent may hold (enrollment, then its own) and the DM's with the tests'. */
const SOCKETS_PER_AGENT = 2;
const SOCKETS_FOR_DM = 4;
/** Ports the agents keep open whatever the ledger says. */
export const ALWAYS_OPEN_PORT = 22;

/** What a scenario changes in the world it runs in. */
export interface FaultWorldOptions {
  readonly shape: FleetShape;
  /** Extra `FLOTILLA_*` variables of the DM (a short heartbeat, for instance). */
  readonly dmVariables?: Readonly<Record<string, string>>;
}

/**
 * A fault scenario's world: a real DM process (PostgreSQL, the test broker under a private
 * namespace) on loopback, one real agent process per fleet host, each in its own network
 * namespace, and a `client` namespace; the fleet template uploaded as application `fleet`, every
 * agent accepted and bound to its host's root. Every process can be killed and restarted.
 */
export class FaultWorld {
  readonly broker = new BrokerNamespace();
  readonly hosts = new Map<string, TestHost>();
  readonly agents = new Map<string, AgentProcess>();
  dm!: DmProcess;
  api!: DmApi;
  private readonly suffix = this.broker.id.slice(2, 10);
  private network?: TestNetwork;
  private home?: TestDmHome;
  private directory = '';
  /** The DM's certificate thumbprint (hex), as agents pin it. */
  dmThumbprint = '';

  constructor(readonly options: FaultWorldOptions) {}

  /** Builds everything; `stop()` removes it (also after a failed start). */
  async start(): Promise<void> {
    await this.checkBrokerSockets();
    this.directory = await mkdtemp(join(tmpdir(), 'flotilla-faults-'));
    this.network = await TestNetwork.create();
    for (const name of [...this.options.shape.hosts, CLIENT_HOST]) {
      this.hosts.set(name, await this.network.addHost(name));
    }
    this.home = await TestDmHome.create();
    this.dmThumbprint = (await loadDmIdentity(this.home.dataDir)).thumbprint;
    await this.startDm();
    await createEnrollmentUser(this.broker, ENROLL_PASSWORD);
    const template = join(this.directory, 'template');
    await writeFleetTemplate(template, this.options.shape);
    await this.api.call('POST', '/templates', await tarGzOf(template));
    await this.api.call('POST', '/applications', { name: FLEET_APP, template: FLEET_TEMPLATE });
    this.options.shape.hosts.forEach((host) => this.startAgent(host));
    for (const host of this.options.shape.hosts) {
      await this.acceptWhenPending(this.agentName(host));
      await this.api.call('POST', `/applications/${FLEET_APP}/instances/bind-agent`, {
        path: rootOf(host),
        agent: this.agentName(host),
      });
    }
  }

  /** Starts the DM process (again, on the same database, data directory and port) and logs in. */
  async startDm(): Promise<void> {
    const port = this.dm?.port;
    this.dm = await DmProcess.start(this.dmVariables(), port);
    this.api ??= new DmApi(this.dm.url, E2E_ADMIN_PASSWORD);
    await this.api.login();
  }

  /** Starts (or restarts) the agent of `host` with its data directory kept. */
  startAgent(host: string): AgentProcess {
    const name = this.agentName(host);
    const agent = AgentProcess.launch(this.host(host), {
      FLOTILLA_AGENT_NAME: name,
      FLOTILLA_AMQP_URL: `amqp://${this.broker.id}-enroll:${ENROLL_PASSWORD}@${this.network!.gatewayAddress}:5672/flotilla`,
      FLOTILLA_BROKER_NAMESPACE: this.broker.id,
      FLOTILLA_DM_THUMBPRINT: this.dmThumbprint,
      FLOTILLA_DATA_DIR: this.agentDataDir(host),
      FLOTILLA_FIREWALL: 'nft',
      FLOTILLA_FIREWALL_MANAGED: 'true',
      FLOTILLA_ALWAYS_OPEN_PORTS: `${ALWAYS_OPEN_PORT}/tcp`,
      FLOTILLA_HEARTBEAT_INTERVAL_MS: '1000',
      FLOTILLA_LOG_LEVEL: 'info',
    });
    this.agents.set(host, agent);
    return agent;
  }

  /**
   * Asks for a bulk action (`start-all`, `undeploy-all`...) and waits until every instance of the
   * fleet is in `state`.
   */
  async settle(action: string, state: string, timeoutMs: number): Promise<void> {
    await this.api.call('POST', `/applications/${FLEET_APP}/actions/${action}`);
    await this.api.waitForAll(FLEET_APP, state, timeoutMs);
  }

  /** Sets the network link of a host down (cut off from the broker and every host) or up. */
  async setLink(host: string, isUp: boolean): Promise<void> {
    const testHost = this.host(host);
    const links = await testHost.exec('ip', ['-j', 'link', 'show']);
    const names = (JSON.parse(links.stdout) as Array<{ ifname: string }>)
      .map((link) => link.ifname)
      .filter((name) => name !== 'lo');
    for (const name of names) {
      const result = await testHost.exec('ip', ['link', 'set', name, isUp ? 'up' : 'down']);
      if (result.exitCode !== 0) {
        throw new Error(`ip link set ${name} in ${testHost.namespace}: ${result.stderr}`);
      }
    }
  }

  /** The agent name of a fleet host (unique to this world). */
  agentName(host: string): string {
    return `${host}-${this.suffix}`;
  }

  /** The data directory of a fleet host's agent (its identity, ledger, job journal). */
  agentDataDir(host: string): string {
    return join(this.directory, 'agents', host);
  }

  /** The DM's PostgreSQL database URL (the scenarios read its commands and audit tables). */
  get databaseUrl(): string {
    return this.home!.databaseUrl;
  }

  /** The host (network namespace) of that name. */
  host(name: string): TestHost {
    const host = this.hosts.get(name);
    if (host === undefined) {
      throw new Error(`no test host ${name}`);
    }
    return host;
  }

  /** Everything the DM and the agents printed, for failure reports. */
  logs(): string {
    const agents = [...this.agents.entries()].map(
      ([host, agent]) => `--- agent ${host}\n${agent.log}`,
    );
    return [`--- dm\n${this.dm?.log ?? ''}`, ...agents].join('\n');
  }

  /** Stops agents and DM, removes namespaces, users, queues, the database and files. */
  async stop(): Promise<void> {
    this.api?.close();
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    await this.dm?.stop();
    await this.network?.destroy();
    for (const host of this.agents.keys()) {
      await this.broker.management.deleteUser(`flotilla-agent-${this.agentName(host)}`);
    }
    await this.broker.nuke();
    await this.home?.remove();
    await rm(this.directory, { recursive: true, force: true });
  }

  private dmVariables(): Record<string, string> {
    return {
      FLOTILLA_LOG_LEVEL: 'warn',
      FLOTILLA_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      FLOTILLA_DATA_DIR: this.home!.dataDir,
      FLOTILLA_DATABASE_URL: this.home!.databaseUrl,
      FLOTILLA_AMQP_URL: TEST_AMQP_URL,
      FLOTILLA_AMQP_NAMESPACE: this.broker.id,
      ...this.options.dmVariables,
    };
  }

  /**
   * Fails at once, naming the cause, when the broker cannot take this world's connections (its
   * socket limit is shared with everything else on the machine, benchmarks included): otherwise
   * the agents would wait for a connection and the world would time out as "never enrolled".
   */
  private async checkBrokerSockets(): Promise<void> {
    const needed = this.options.shape.hosts.length * SOCKETS_PER_AGENT + SOCKETS_FOR_DM;
    const nodes = (await this.broker.management.request('GET', '/api/nodes')) as Array<{
      name: string;
      sockets_used: number;
      sockets_total: number;
    }>;
    for (const node of nodes) {
      if (node.sockets_total - node.sockets_used < needed) {
        throw new Error(
          `broker node ${node.name} has ${node.sockets_used} of ${node.sockets_total} sockets in use; this fault world needs ${needed} more`,
        );
      }
    }
  }

  private async acceptWhenPending(name: string): Promise<void> {
    await this.api.waitUntil(
      async () => ((await this.api.agent(name))?.state === 'pending' ? true : undefined),
      () => `agent ${name} never enrolled\n${this.logs()}`,
      ENROLL_TIMEOUT_MS,
    );
    const acceptedAt = Date.now();
    await this.api.call('POST', `/agents/${name}/accept`);
    // A heartbeat means the agent stored its broker credentials and consumes its own queue.
    const isBeating = (agent: ListedAgent | undefined) =>
      agent?.lastSeenAt !== null &&
      agent !== undefined &&
      Date.parse(agent.lastSeenAt) > acceptedAt;
    await this.api.waitUntil(
      async () => (isBeating(await this.api.agent(name)) ? true : undefined),
      () => `agent ${name} never sent a heartbeat after its acceptance\n${this.logs()}`,
      ENROLL_TIMEOUT_MS,
    );
  }
}
