import { DM_IDENTITY, DmBroker, type DmServer } from '@flotilla/dm';
import type { Identity } from '@flotilla/messaging';
import type request from 'supertest';
import { BrokerNamespace, TEST_AMQP_URL, testAmqpUrlFor } from '../../../libs/messaging/testing';
import { SimulatedAgent } from './simulated-agent';
import { THREE_TIER_DIR, tarGzOf } from './template-archive';
import { DmClient, type ListedInstance } from './dm-client';
import { TestDmHome } from './test-dm';

/** What a world uploads and creates, and which roots each simulated agent (by role) hosts. */
export interface WorldLayout {
  /** Template directories, uploaded in order. */
  readonly templates: readonly string[];
  readonly applications: readonly { readonly name: string; readonly template: string }[];
  /** By agent role: the `[application, root path]` pairs bound to that agent. */
  readonly hosts: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

/** The three-tier template as `shop`: `/db-vm` on `db-host`, `/app-vm` and `/web-vm` on `app-host`. */
export const SHOP_LAYOUT: WorldLayout = {
  templates: [THREE_TIER_DIR],
  applications: [{ name: 'shop', template: 'three-tier' }],
  hosts: {
    'db-host': [['shop', '/db-vm']],
    'app-host': [
      ['shop', '/app-vm'],
      ['shop', '/web-vm'],
    ],
  },
};

/**
 * A DM (real, on PostgreSQL and the test broker under a private namespace) with the templates and
 * applications of a layout (by default the three-tier template as `shop`), and simulated agents
 * enrolled, accepted and bound to the layout's roots.
 */
export class DeploymentWorld {
  readonly broker = new BrokerNamespace();
  /** Simulated agents by role (`db-host`, `app-host`); their names carry a per-world suffix. */
  readonly agents = new Map<string, SimulatedAgent>();
  private readonly suffix = this.broker.id.slice(2, 10);
  server!: DmServer;
  private home!: TestDmHome;
  private client!: DmClient;

  constructor(private readonly layout: WorldLayout = SHOP_LAYOUT) {}

  /** Starts everything; `stop()` undoes it. */
  async start(): Promise<void> {
    this.home = await TestDmHome.create();
    await this.startDm();
    for (const directory of this.layout.templates) {
      await this.api('post', '/templates')
        .set('Content-Type', 'application/gzip')
        .send(await tarGzOf(directory))
        .expect(201);
    }
    for (const application of this.layout.applications) {
      await this.api('post', '/applications').send(application).expect(201);
    }
    for (const [role, roots] of Object.entries(this.layout.hosts)) {
      const name = `${role}-${this.suffix}`;
      await this.addAgent(role, name);
      for (const [application, path] of roots) {
        await this.api('post', `/applications/${application}/instances/bind-agent`)
          .send({ path, agent: name })
          .expect(204);
      }
    }
  }

  /** Starts (or restarts) the DM on the same database and data directory. */
  async startDm(): Promise<void> {
    this.server = await this.home.start(TEST_AMQP_URL, this.broker.id);
    this.client = await DmClient.login(this.server);
  }

  /** The simulated agent of that role. */
  agent(role: string): SimulatedAgent {
    const agent = this.agents.get(role);
    if (agent === undefined) {
      throw new Error(`no simulated agent ${role}`);
    }
    return agent;
  }

  /** The admin's bearer token. */
  get token(): string {
    return this.client.token;
  }

  /** An authenticated request to the DM's API. */
  api(method: 'get' | 'post', path: string): request.Test {
    return this.client.api(method, path);
  }

  /** The instances of `shop` by path. */
  instances(): Promise<Map<string, ListedInstance>> {
    return this.client.instances('shop');
  }

  /** Waits until every listed path of `shop` is in `state`. */
  waitForStates(paths: readonly string[], state: string, timeoutMs = 30_000): Promise<void> {
    return this.client.waitForStates('shop', paths, state, timeoutMs);
  }

  /** Waits until every listed path of `application` is in `state`. */
  waitForStatesOf(
    application: string,
    paths: readonly string[],
    state: string,
    timeoutMs = 30_000,
  ): Promise<void> {
    return this.client.waitForStates(application, paths, state, timeoutMs);
  }

  /** Stops the agents and the DM, and removes the database, data directory, users and queues. */
  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    await this.server?.close();
    for (const agent of this.agents.values()) {
      await this.broker.management.deleteUser(`flotilla-agent-${agent.options.name}`);
    }
    await this.broker.nuke();
    await this.home?.remove();
  }

  private async addAgent(role: string, name: string): Promise<void> {
    const dm = this.server.app.get<Identity>(DM_IDENTITY);
    const agent = await SimulatedAgent.create({
      name,
      topology: this.server.app.get(DmBroker).topology,
      enrollUrl: TEST_AMQP_URL,
      amqpUrlFor: testAmqpUrlFor,
      dm: { thumbprint: dm.thumbprint, certificatePem: dm.certificatePem },
    });
    this.agents.set(role, agent);
    await agent.enroll();
    await this.api('post', `/agents/${name}/accept`).expect(200);
    await agent.connect(await agent.nextEnrollmentAnswer());
  }
}
