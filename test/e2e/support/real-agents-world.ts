import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DmServer } from '@flotilla/dm';
import { BrokerNamespace } from '../../../libs/messaging/testing';
import { TestNetwork, type TestHost } from '../../support/netns';
import {
  acceptWhenPending,
  agentLinkOf,
  agentVariables,
  createEnrollmentUser,
} from './agent-enrollment';
import { LaunchedAgent } from './agent-launcher';
import { DmClient } from './dm-client';
import { THREE_TIER_DIR, tarGzOf } from './template-archive';
import { probeTcp } from './tcp-probe';
import { TestDmHome } from './test-dm';

/** Which roots of the three-tier sample each agent (host) runs. */
export const PLACEMENT: Readonly<Record<string, readonly string[]>> = {
  'db-agent': ['/db-vm'],
  'app-agent': ['/app-vm', '/web-vm'],
};

/**
 * The end-to-end world: the real DM (PostgreSQL, the test broker under a private namespace) in
 * the root namespace, two real agent processes each in its own network namespace reaching only
 * the broker (through the test network's gateway), and a third `client` namespace; the three-tier
 * sample uploaded as application `shop`, the agents accepted and bound.
 */
export class RealAgentsWorld {
  readonly hosts = new Map<string, TestHost>();
  /** Agent processes by role (the keys of PLACEMENT); their names carry a per-world suffix. */
  readonly agents = new Map<string, LaunchedAgent>();
  server!: DmServer;
  client!: DmClient;
  private network?: TestNetwork;
  private home?: TestDmHome;
  private directory = '';

  /**
   * @param broker where the DM and the agents meet (the local test broker by default; a cluster's
   * node list in test/cluster), and `dmEnv` the DM's extra variables for it.
   */
  constructor(
    readonly broker: BrokerNamespace = new BrokerNamespace(),
    private readonly dmEnv: Record<string, string> = {},
  ) {}

  /** Builds everything; `stop()` removes it. */
  async start(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), 'flotilla-e2e-'));
    this.network = await TestNetwork.create();
    for (const name of [...Object.keys(PLACEMENT), 'client']) {
      this.hosts.set(name, await this.network.addHost(name));
    }
    this.home = await TestDmHome.create();
    await this.startDm();
    await createEnrollmentUser(this.broker);
    await this.client
      .api('post', '/templates')
      .set('Content-Type', 'application/gzip')
      .send(await tarGzOf(THREE_TIER_DIR))
      .expect(201);
    await this.client
      .api('post', '/applications')
      .send({ name: 'shop', template: 'three-tier' })
      .expect(201);
    for (const [role, roots] of Object.entries(PLACEMENT)) {
      const agent = this.agentName(role);
      this.startAgent(role);
      await acceptWhenPending(this.client, agent, () => this.agentLogs());
      for (const path of roots) {
        await this.client
          .api('post', '/applications/shop/instances/bind-agent')
          .send({ path, agent })
          .expect(204);
      }
    }
  }

  /** Starts (or restarts) the DM on the same database and data directory. */
  async startDm(): Promise<void> {
    this.server = await this.home!.start(this.broker.amqpUrl, this.broker.id, this.dmEnv);
    this.client = await DmClient.login(this.server);
  }

  /** The host (network namespace) of that name. */
  host(name: string): TestHost {
    const host = this.hosts.get(name);
    if (host === undefined) {
      throw new Error(`no test host ${name}`);
    }
    return host;
  }

  /** What a TCP server at `address:port` says, read from the client namespace; null when unreachable. */
  async probe(address: string, port: number): Promise<string | null> {
    return probeTcp(this.host('client'), address, port);
  }

  /** Stops agents and DM, kills leftover recipe servers, removes namespaces, users, queues, files. */
  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    await this.server?.close();
    await killRecipeServers(this.directory);
    await this.network?.destroy();
    for (const role of this.agents.keys()) {
      await this.broker.management.deleteUser(`flotilla-agent-${this.agentName(role)}`);
    }
    await this.broker.nuke();
    await this.home?.remove();
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Everything the agents printed, for failure messages. */
  agentLogs(): string {
    return [...this.agents.entries()]
      .map(([name, agent]) => `--- ${name}\n${agent.log}`)
      .join('\n');
  }

  private agentName(role: string): string {
    return `${role}-${this.broker.id.slice(2, 10)}`;
  }

  private startAgent(role: string): void {
    const link = agentLinkOf(this.agentName(role), {
      broker: this.broker,
      server: this.server,
      network: this.network!,
      directory: this.directory,
    });
    this.agents.set(
      role,
      LaunchedAgent.launch(this.host(role), {
        ...agentVariables(link),
        FLOTILLA_FIREWALL: 'nft',
        FLOTILLA_FIREWALL_MANAGED: 'true',
        FLOTILLA_ALWAYS_OPEN_PORTS: '22/tcp',
      }),
    );
  }
}

/** Kills the TCP servers recipes left running (their pids are in `server.pid` files). */
async function killRecipeServers(directory: string): Promise<void> {
  const { stdout } = await promisify(execFile)('find', [directory, '-name', 'server.pid']).catch(
    () => ({ stdout: '' }),
  );
  for (const file of stdout.split('\n').filter((line) => line.length > 0)) {
    await promisify(execFile)('sh', ['-c', `kill "$(cat '${file}')" 2>/dev/null || true`]);
  }
}
