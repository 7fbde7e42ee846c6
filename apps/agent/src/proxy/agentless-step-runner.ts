import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentlessSetupPayload, StepResultPayload, StepRunPayload } from '@flotilla/protocol';
import {
  SshConnectionPool,
  SshStepExecutor,
  type OutputStream,
  type RecipeBundleCache,
  type SshTarget,
} from '@flotilla/recipes';
import { StepJobRunner, logContext, stepLogPath } from '../runner/step-job-runner';
import type { AgentLogger } from '../support/agent-logger';
import { AgentlessHosts, type AgentlessHost } from './agentless-host';
import { syncHeldPorts } from './held-ports-sync';
import {
  AgentlessCredentialError,
  toSshTarget,
  type AgentlessTargetContext,
} from './agentless-ssh-target';
import { SshRecipeStepAdapter } from './ssh-recipe-step-adapter';

/** What an `AgentlessStepRunner` works with. */
export interface AgentlessStepRunnerOptions {
  readonly agentName: string;
  readonly dataDir: string;
  readonly bundles: RecipeBundleCache;
  readonly target: AgentlessTargetContext;
  /** Upper bound of any step's timeout. */
  readonly maxTimeoutMs: number;
  /** Aborted when the agent stops: running agentless steps are stopped and reported aborted. */
  readonly signal?: AbortSignal;
  readonly logger: AgentLogger;
}

/**
 * The proxy role: runs `dm.step.run.v1` jobs that carry an agentless target over SSH, with the
 * same step rules as local jobs (the agent's `StepJobRunner`: states, random ports, ports closed
 * at stop and undeploy) against the target's own instance store and firewall ledger; connections
 * are pooled (one per target, multiplexed). The result carries the set-up apart from the
 * recipe's output, which is also kept in a `.setup.log` file beside the step's log.
 */
export class AgentlessStepRunner {
  private readonly pool: SshConnectionPool;
  private readonly hosts: AgentlessHosts;
  /** `<host dir> <instance path>` of the steps running now. */
  private readonly running = new Set<string>();

  constructor(private readonly options: AgentlessStepRunnerOptions) {
    this.pool = new SshConnectionPool({ logger: options.logger });
    this.hosts = new AgentlessHosts(options.dataDir, this.pool, options.logger);
  }

  /** Runs the job on its target; never throws for a target problem (it is a `setup.failure`). */
  async run(
    command: StepRunPayload,
    onOutput: (chunk: string, stream: OutputStream) => void,
  ): Promise<StepResultPayload> {
    const block = command.agentless;
    if (block === undefined) {
      throw new Error(`job ${command.jobId} has no agentless target`);
    }
    const startedAt = Date.now();
    let target: SshTarget;
    try {
      target = toSshTarget(block, command.jobId, this.options.target);
    } catch (error: unknown) {
      if (!(error instanceof AgentlessCredentialError)) {
        throw error;
      }
      return this.credentialFailure(command, error, startedAt);
    }
    const host = await this.hosts.hostOf(target, block);
    await this.syncPorts(host, command);
    const key = `${host.dir} ${command.instance.path}`;
    this.running.add(key);
    try {
      return await this.runOn(host, target, command, onOutput);
    } finally {
      this.running.delete(key);
    }
  }

  private async runOn(
    host: AgentlessHost,
    target: SshTarget,
    command: StepRunPayload,
    onOutput: (chunk: string, stream: OutputStream) => void,
  ): Promise<StepResultPayload> {
    const executor = new SshStepExecutor({
      pool: this.pool,
      target,
      firewall: host.firewall,
      logger: this.options.logger,
    });
    const adapter = new SshRecipeStepAdapter(executor, target);
    const result = await this.runnerFor(host, adapter).run(command, onOutput);
    const setup = adapter.setup;
    if (setup === undefined) {
      return result;
    }
    await this.keepSetupLog(host.dir, command, setup);
    return { ...result, setup };
  }

  /**
   * Aligns this proxy's ledger of the target with the ports the DM recorded (after a hand-over);
   * a target it cannot reach is left as it is: the step then reports the set-up failure.
   */
  private async syncPorts(host: AgentlessHost, command: StepRunPayload): Promise<void> {
    const held = command.agentless?.heldPorts ?? [];
    try {
      const change = await syncHeldPorts(host.firewall, held, (owner) =>
        this.running.has(`${host.dir} ${owner}`),
      );
      if (change.opened.length + change.closed.length > 0) {
        this.options.logger.info('ledger aligned with the DM before the step', {
          ...logContext(command),
          ...change,
        });
      }
    } catch (error: unknown) {
      this.options.logger.warn('ledger not aligned with the DM', {
        ...logContext(command),
        error: String(error),
      });
    }
  }

  /** The agent's step runner, over the target's state and the SSH executor. */
  private runnerFor(host: AgentlessHost, adapter: SshRecipeStepAdapter): StepJobRunner {
    return new StepJobRunner({
      agentName: this.options.agentName,
      dataDir: host.dir,
      bundles: this.options.bundles,
      instances: host.instances,
      firewall: host.firewall,
      executor: adapter,
      maxTimeoutMs: this.options.maxTimeoutMs,
      // The target's login gives the environment; nothing of the proxy's own passes.
      inheritedEnvironment: {},
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      logger: this.options.logger,
    });
  }

  /** Closes every SSH connection (at agent stop, once running steps ended). */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private async keepSetupLog(
    dir: string,
    command: StepRunPayload,
    setup: AgentlessSetupPayload,
  ): Promise<void> {
    const path = stepLogPath(dir, command).replace(/\.log$/, '.setup.log');
    await mkdir(dirname(path), { recursive: true });
    const failure =
      setup.failure === undefined
        ? []
        : [`FAILED (${setup.failure.phase}) ${setup.failure.code}: ${setup.failure.message}`];
    await writeFile(path, [...setup.log, ...failure, ''].join('\n'), { mode: 0o600 });
    const context = { ...logContext(command), target: setup.target };
    if (setup.failure === undefined) {
      this.options.logger.debug('agentless set-up', { ...context, setup: setup.log });
    } else {
      this.options.logger.warn('agentless set-up failed', { ...context, ...setup.failure });
    }
  }

  private credentialFailure(
    command: StepRunPayload,
    error: AgentlessCredentialError,
    startedAt: number,
  ): StepResultPayload {
    const block = command.agentless!;
    this.options.logger.warn('agentless step not tried', {
      ...logContext(command),
      error: error.message,
    });
    return {
      jobId: command.jobId,
      attempt: command.attempt,
      instancePath: command.instance.path,
      step: command.step,
      status: 'failed',
      exitCode: null,
      signal: null,
      logTail: '',
      exports: command.exports,
      openPorts: [],
      setup: {
        target: `${block.user}@${block.host}:${block.port}`,
        log: [],
        failure: { phase: 'connect', code: 'PROXY_CREDENTIAL_MISSING', message: error.message },
      },
      startedAt,
      endedAt: Date.now(),
    };
  }
}
