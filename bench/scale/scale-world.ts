import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BrokerNamespace, TEST_AMQP_URL } from '../../libs/messaging/testing';
import { TestDmHome } from '../../test/e2e/support/test-dm';
import { DmApi, inParallel } from './dm-api';
import { ForkedChild } from './forked-child';
import { ProcSampler, type ProcessUsage } from './proc-sampler';
import { removeAgentsBrokerState } from './scale-cleanup';
import { stopwatch } from './stopwatch';
import {
  ADMIN_PASSWORD,
  AGENT_PROCESS_FS_THREADS,
  AGENT_HEARTBEAT_MS,
  AGENT_START_CONCURRENCY,
  API_CONCURRENCY,
  ENROLL_PASSWORD,
  PHASE_TIMEOUT_MS,
  SAMPLE_INTERVAL_MS,
} from './scale.constants';
import type { AgentProcessJob, AgentProcessMessage, DmProcessMessage } from './scale-messages';
import { createEnrollmentUser } from '../../test/e2e/support/agent-enrollment';

/** Seconds spent in each step of the agents' enrollment. */
export type EnrollmentPhases = Record<'identities' | 'preregister' | 'start', number>;

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
  /** The DM's database and the run's directory (agents' data, the template). */
  home: TestDmHome | undefined;
  private readonly agentProcesses: ForkedChild<AgentProcessMessage>[] = [];
  private readonly agentSamplers: ProcSampler[] = [];

  constructor(agents: number) {
    const width = String(agents).length;
    this.agentNames = Array.from(
      { length: agents },
      (_, index) => `s${this.runId}-${String(index).padStart(width, '0')}`,
    );
  }

  /**
   * Creates the database, the directory and the enrollment user, and starts the DM process (with
   * a V8 CPU profile written to `profileDir` when given).
   */
  async startDm(profileDir?: string): Promise<void> {
    this.home = await TestDmHome.create();
    await createEnrollmentUser(this.broker, ENROLL_PASSWORD);
    this.dm = new ForkedChild<DmProcessMessage>(
      join(__dirname, 'dm-process.ts'),
      [],
      {
        PATH: process.env.PATH,
        FLOTILLA_HOST: '127.0.0.1',
        FLOTILLA_LOG_LEVEL: 'warn',
        FLOTILLA_ADMIN_PASSWORD: ADMIN_PASSWORD,
        FLOTILLA_DATA_DIR: join(this.home.dataDir, 'dm'),
        FLOTILLA_DATABASE_URL: this.home.databaseUrl,
        FLOTILLA_AMQP_URL: TEST_AMQP_URL,
        FLOTILLA_AMQP_NAMESPACE: this.broker.id,
      },
      profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    );
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

  /**
   * Starts the agents over `processes` processes: each process creates its agents' identities,
   * the DM pre-registers (trusts) every thumbprint through its API, then the agents start and
   * enroll, accepted at their first request. Resolves once every agent consumes its queue, with
   * the seconds each step took (V8 CPU profiles of the agent processes go to `profileDir`).
   */
  async enrollAgents(processes: number, profileDir?: string): Promise<EnrollmentPhases> {
    const lap = stopwatch();
    const amqp = new URL(TEST_AMQP_URL);
    amqp.username = `${this.broker.id}-enroll`;
    amqp.password = ENROLL_PASSWORD;
    const identities: Array<{ name: string; thumbprint: string }> = [];
    const created: Array<Promise<void>> = [];
    const sizes: number[] = [];
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
        // Each real agent is a process of its own with libuv's 4 file-system threads; hundreds of
        // agents sharing one process's 4 would queue each other's journal writes.
        { PATH: process.env.PATH, UV_THREADPOOL_SIZE: String(AGENT_PROCESS_FS_THREADS) },
        profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
      );
      this.agentProcesses.push(child);
      const sampler = new ProcSampler(child.pid, SAMPLE_INTERVAL_MS);
      this.agentSamplers.push(sampler);
      await sampler.start();
      sizes.push(names.length);
      let count = 0;
      created.push(
        child.until(
          (message) => {
            if (message.kind === 'identity') {
              identities.push({ name: message.name, thumbprint: message.thumbprint });
              count += 1;
            }
            return count === names.length;
          },
          PHASE_TIMEOUT_MS,
          `agent process ${index} identities`,
        ),
      );
    }
    await Promise.all(created);
    const identitiesSeconds = lap();
    await inParallel(identities, API_CONCURRENCY, (identity) =>
      this.api.call('POST', '/agents/preregistrations', 200, identity),
    );
    const preregisterSeconds = lap();
    await Promise.all(
      this.agentProcesses.map((child, index) => {
        let count = 0;
        const running = child.until(
          (message) => message.kind === 'running' && ++count === sizes[index],
          PHASE_TIMEOUT_MS,
          `agent process ${index} enrollment`,
        );
        child.send({ kind: 'start' });
        return running;
      }),
    );
    return { identities: identitiesSeconds, preregister: preregisterSeconds, start: lap() };
  }

  /** What each agent process used since it was forked (RSS and CPU time from /proc). */
  async agentUsage(): Promise<ProcessUsage[]> {
    return Promise.all(this.agentSamplers.map((sampler) => sampler.stop()));
  }

  /** Stops agents and DM; removes broker users and queues, the database and the directory. */
  async stop(): Promise<void> {
    // Stopped samplers let the benchmark exit even when it failed before reading them.
    await Promise.all(this.agentSamplers.map((sampler) => sampler.stop()));
    await Promise.all(this.agentProcesses.map((child) => child.stop()));
    await this.dm?.stop();
    await removeAgentsBrokerState(
      this.broker,
      this.agentNames.map((name) => `${AGENT_BROKER_USER_PREFIX}${name}`),
      this.agentNames,
    );
    await this.broker.nuke();
    await this.home?.remove();
  }

  /** The run's directory: agents' data directories and the template live under it. */
  get directory(): string {
    if (this.home === undefined) {
      throw new Error('ScaleWorld: startDm() first');
    }
    return this.home.dataDir;
  }
}
