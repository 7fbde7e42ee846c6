import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepResultPayload, StepRunPayload } from '@flotilla/protocol';
import type {
  Firewall,
  OutputStream,
  RecipeBundleCache,
  RecipeStepExecutor,
  RecipeStepOutcome,
  StepUser,
} from '@flotilla/recipes';
import { resolveStepScript } from '@flotilla/recipes';
import { STEP_OUTPUT_CAP_BYTES } from '../agent.constants';
import type {
  InstanceRecord,
  InstanceStore,
  StableInstanceState,
} from '../instances/instance-store';
import type { AgentLogger } from '../support/agent-logger';
import { withRandomPorts } from './random-port';
import { preflightStep, type StepRefusal } from './step-preflight';

/** The stable state a successful step leaves its instance in (`update` keeps it). */
const STATE_AFTER_STEP: Readonly<Record<StepRunPayload['step'], StableInstanceState | undefined>> =
  {
    deploy: 'deployed_stopped',
    start: 'deployed_started',
    stop: 'deployed_stopped',
    undeploy: 'not_deployed',
    update: undefined,
  };

/** Steps after which the instance's software no longer listens: every port it holds is closed. */
const PORT_CLOSING_STEPS: ReadonlySet<string> = new Set(['stop', 'undeploy']);

/** Where the agent keeps a step's whole (capped) output: one file per job, beside the journal. */
export function stepLogPath(dataDir: string, command: StepRunPayload): string {
  const instanceDir = encodeURIComponent(command.instance.path);
  return join(dataDir, 'logs', instanceDir, `${command.jobId}-${command.step}.log`);
}

/** The recipe-runner boundary: runs one step of one instance (libs/recipes' executor, or a stand-in). */
export type StepExecutor = Pick<RecipeStepExecutor, 'execute'>;

/** What a `StepJobRunner` works with. */
export interface StepJobRunnerOptions {
  readonly agentName: string;
  readonly dataDir: string;
  readonly bundles: RecipeBundleCache;
  readonly instances: InstanceStore;
  readonly firewall: Firewall;
  readonly executor: StepExecutor;
  readonly user?: StepUser;
  /** Upper bound of any step's timeout. */
  readonly maxTimeoutMs: number;
  /** The agent's environment; libs/recipes passes only its allowlisted variables on. */
  readonly inheritedEnvironment: Readonly<Record<string, string | undefined>>;
  /** Aborted when the agent stops: a running step is stopped like a timeout and reported aborted. */
  readonly signal?: AbortSignal;
  readonly logger: AgentLogger;
}

/**
 * Runs one `dm.step.run.v1` job: checks installer and bundle, fills `random[port]` exports, runs
 * the script through libs/recipes with the firewall, moves the instance to its new stable state
 * (or back to the previous one on failure, as Roboconf does), closes the ports of software that
 * stopped or is gone, and builds the result it saw.
 */
export class StepJobRunner {
  constructor(private readonly options: StepJobRunnerOptions) {}

  /** Runs the job; `onOutput` receives the script's output as it comes. */
  async run(
    command: StepRunPayload,
    onOutput: (chunk: string, stream: OutputStream) => void,
  ): Promise<StepResultPayload> {
    const startedAt = Date.now();
    const preflight = await preflightStep(command, this.options.bundles);
    if (preflight.kind === 'refused') {
      this.options.logger.warn('step refused', { ...logContext(command), ...preflight.refusal });
      return this.refusedResult(command, preflight.refusal, startedAt);
    }
    const previous = await this.recordOf(command);
    const exports = await withRandomPorts(command.exports, command.randomPorts, previous.exports);
    const outcome = await this.execute(command, preflight.bundleDir, exports, onOutput);
    const isSuccess = outcome.status === 'succeeded' || outcome.status === 'skipped';
    const state = isSuccess ? (STATE_AFTER_STEP[command.step] ?? previous.state) : previous.state;
    await this.options.instances.put({ ...previous, state, exports });
    if (isSuccess && PORT_CLOSING_STEPS.has(command.step)) {
      const closed = await this.options.firewall.closeAllFor(command.instance.path);
      this.options.logger.info('ports of a stopped instance closed', {
        ...logContext(command),
        closed: closed.map((rule) => `${rule.port}/${rule.protocol}`),
      });
    }
    return {
      ...this.baseResult(command, startedAt),
      status: outcome.status,
      exitCode: outcome.result?.exitCode ?? (isSuccess ? 0 : null),
      signal: outcome.result?.signal ?? null,
      logTail: outcome.logTail,
      exports,
      openPorts: await this.openPortsOf(command.instance.path),
    };
  }

  /** The ports an instance holds in the ledger. */
  async openPortsOf(instancePath: string): Promise<StepResultPayload['openPorts']> {
    const entries = await this.options.firewall.list();
    const rules = entries.find((entry) => entry.owner === instancePath)?.rules ?? [];
    return rules.map((rule) => ({ port: rule.port, protocol: rule.protocol }));
  }

  private async execute(
    command: StepRunPayload,
    bundleDir: string | undefined,
    exports: Record<string, string>,
    onOutput: (chunk: string, stream: OutputStream) => void,
  ): Promise<RecipeStepOutcome> {
    const scriptPath =
      bundleDir === undefined ? undefined : await resolveStepScript(bundleDir, command.step);
    const cwd = join(this.options.dataDir, 'instances', encodeURIComponent(command.instance.path));
    await mkdir(cwd, { recursive: true, mode: 0o755 });
    return this.options.executor.execute({
      step: command.step,
      scriptPath,
      cwd,
      environment: {
        instanceName: command.instance.name,
        instancePath: command.instance.path,
        component: command.instance.component,
        application: command.application,
        exports,
        imports: command.imports,
        ancestors: command.ancestors,
        ...(command.importChange === undefined ? {} : { importChange: command.importChange }),
        filesDir: join(bundleDir ?? cwd, 'files'),
        agentName: this.options.agentName,
        inherited: this.options.inheritedEnvironment,
        ...(this.options.user === undefined ? {} : { home: this.options.user.home }),
      },
      ...(this.options.user === undefined ? {} : { user: this.options.user }),
      timeoutMs: Math.min(command.timeoutMs, this.options.maxTimeoutMs),
      outputCapBytes: STEP_OUTPUT_CAP_BYTES,
      logPath: stepLogPath(this.options.dataDir, command),
      onOutput,
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
    });
  }

  private async recordOf(command: StepRunPayload): Promise<InstanceRecord> {
    const known = await this.options.instances.get(command.instance.path);
    return (
      known ?? {
        path: command.instance.path,
        component: command.instance.component,
        state: 'not_deployed',
        exports: {},
      }
    );
  }

  private async refusedResult(
    command: StepRunPayload,
    refusal: StepRefusal,
    startedAt: number,
  ): Promise<StepResultPayload> {
    const known = await this.options.instances.get(command.instance.path);
    return {
      ...this.baseResult(command, startedAt),
      status: 'refused',
      exitCode: null,
      signal: null,
      logTail: '',
      exports: known?.exports ?? command.exports,
      openPorts: await this.openPortsOf(command.instance.path),
      refusal,
    };
  }

  private baseResult(
    command: StepRunPayload,
    startedAt: number,
  ): Pick<
    StepResultPayload,
    'jobId' | 'attempt' | 'instancePath' | 'step' | 'startedAt' | 'endedAt'
  > {
    return {
      jobId: command.jobId,
      attempt: command.attempt,
      instancePath: command.instance.path,
      step: command.step,
      startedAt,
      endedAt: Date.now(),
    };
  }
}

/** The fields every log line about a job carries. */
export function logContext(command: StepRunPayload): Record<string, unknown> {
  return { jobId: command.jobId, step: command.step, instancePath: command.instance.path };
}
