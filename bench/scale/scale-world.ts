import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeRegex } from '@flotilla/messaging';
import { Client } from 'pg';
import { BrokerNamespace, TEST_AMQP_URL } from '../../libs/messaging/testing';
import { DmApi, inParallel } from './dm-api';
import { ForkedChild } from './forked-child';
import {
  ADMIN_PASSWORD,
  AGENT_HEARTBEAT_MS,
  AGENT_START_CONCURRENCY,
  API_CONCURRENCY,
  ENROLL_PASSWORD,
  MAINTENANCE_DATABASE,
  PHASE_TIMEOUT_MS,
  POSTGRES_URL,
} from './scale.constants';
import type { AgentProcessJob, AgentProcessMessage, DmProcessMessage } from './scale-messages';

/** The broker user the DM provisions for an accepted agent (AGENT_BROKER_USER_PREFIX). */
const AGENT_BROKER_USER_PREFIX = 'flotilla-agent-';

/**
 * Everything one benchmark run creates, and removes in `stop`: a private broker namespace with an
 * enrollment user, a fresh PostgreSQL database, a temp directory, the DM process, and the agent
 * processes with their broker users.
 */
export class ScaleWorld {
  readonly broker = new BrokerNamespace();
  readonly runId = randomBytes(3).toString('hex');
  readonly agentNames: string[];
  dm!: ForkedChild<DmProcessMessage>;
  api!: DmApi;
  dmThumbprint = '';
  directory = '';
  private readonly databaseName = `bench_scale_${this.runId}`;
  private isDatabaseCreated = false;
  private readonly agentProcesses: ForkedChild<AgentProcessMessage>[] = [];

  constructor(agents: number) {
    const width = String(agents).length;
    this.agentNames = Array.from(
      { length: agents },
      (_, index) => `s${this.runId}-${String(index).padStart(width, '0')}`,
    );
  }

  /** Creates the database, the directory and the enrollment user, and starts the DM process. */
  async startDm(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), 'flotilla-bench-scale-'));
    await maintenance((client) => client.query(`CREATE DATABASE ${this.databaseName}`));
    this.isDatabaseCreated = true;
    await this.createEnrollmentUser();
    this.dm = new ForkedChild<DmProcessMessage>(join(__dirname, 'dm-process.ts'), [], {
      PATH: process.env.PATH,
      FLOTILLA_HOST: '127.0.0.1',
      FLOTILLA_LOG_LEVEL: 'warn',
      FLOTILLA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      FLOTILLA_DATA_DIR: join(this.directory, 'dm'),
      FLOTILLA_DATABASE_URL: `${POSTGRES_URL}/${this.databaseName}`,
      FLOTILLA_AMQP_URL: TEST_AMQP_URL,
      FLOTILLA_AMQP_NAMESPACE: this.broker.id,
    });
    let url = '';
    await this.dm.until(
      (message) => {
        url = message.url;
        this.dmThumbprint = message.thumbprint;
        return true;
      },
      PHASE_TIMEOUT_MS,
      'DM start',
    );
    this.api = await DmApi.login(url, ADMIN_PASSWORD);
  }

  /** Starts the agents over `processes` processes; resolves with a promise of all running. */
  startAgents(processes: number): Promise<void> {
    const amqp = new URL(TEST_AMQP_URL);
    amqp.username = `${this.broker.id}-enroll`;
    amqp.password = ENROLL_PASSWORD;
    const running = [];
    for (let index = 0; index < processes; index += 1) {
      const names = this.agentNames.filter((_, position) => position % processes === index);
      const job: AgentProcessJob = {
        names,
        amqpUrl: amqp.toString(),
        namespace: this.broker.id,
        dmThumbprint: this.dmThumbprint,
        dataDir: join(this.directory, 'agents'),
        concurrency: AGENT_START_CONCURRENCY,
        heartbeatMs: AGENT_HEARTBEAT_MS,
      };
      const child = new ForkedChild<AgentProcessMessage>(
        join(__dirname, 'agent-process.ts'),
        [JSON.stringify(job)],
        { PATH: process.env.PATH },
      );
      this.agentProcesses.push(child);
      let count = 0;
      running.push(
        child.until(
          (message) => message.kind === 'running' && ++count === names.length,
          PHASE_TIMEOUT_MS,
          `agent process ${index}`,
        ),
      );
    }
    return Promise.all(running).then(() => undefined);
  }

  /** Accepts every agent of the run as it becomes pending, until all are accepted. */
  async acceptAll(): Promise<void> {
    const waiting = new Set(this.agentNames);
    const deadline = Date.now() + PHASE_TIMEOUT_MS;
    while (waiting.size > 0) {
      const listed = await this.api.call<Array<{ name: string; state: string }>>(
        'GET',
        '/agents',
        200,
      );
      const pending = listed.filter(
        (agent) => agent.state === 'pending' && waiting.has(agent.name),
      );
      await inParallel(pending, API_CONCURRENCY, async ({ name }) => {
        await this.api.call('POST', `/agents/${name}/accept`, 200);
        waiting.delete(name);
      });
      if (Date.now() > deadline) {
        throw new Error(`${waiting.size} agents never enrolled, e.g. ${[...waiting][0]}`);
      }
      if (pending.length === 0) {
        // Polling the API (not waiting for a message): the agents enroll at their own pace.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Stops agents and DM; removes broker users and queues, the database and the directory. */
  async stop(): Promise<void> {
    await Promise.all(this.agentProcesses.map((child) => child.stop()));
    await this.dm?.stop();
    await inParallel(this.agentNames, API_CONCURRENCY, (name) =>
      this.broker.management.deleteUser(`${AGENT_BROKER_USER_PREFIX}${name}`),
    );
    await this.broker.nuke();
    if (this.isDatabaseCreated) {
      await maintenance((client) =>
        client.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`),
      );
    }
    if (this.directory !== '') {
      await rm(this.directory, { recursive: true, force: true });
    }
  }

  private async createEnrollmentUser(): Promise<void> {
    const { management, topology } = this.broker;
    const user = this.broker.userName('enroll');
    await management.putUser(user, ENROLL_PASSWORD);
    await management.setPermissions(user, {
      configure: '^$',
      write: `^${escapeRegex(topology.enrollExchange)}$`,
      read: '^$',
    });
  }
}

async function maintenance(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${POSTGRES_URL}/${MAINTENANCE_DATABASE}` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
