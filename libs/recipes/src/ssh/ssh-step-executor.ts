import { isAbsolute, relative, sep } from 'node:path';
import type { Client } from 'ssh2';
import { buildStepEnvironment } from '../environment/step-environment';
import type { Firewall } from '../firewall/firewall';
import { NOOP_RECIPE_LOGGER, type RecipeLogger } from '../recipes.logger';
import type { RecipeStepStatus } from '../runner/recipe-step.types';
import { StepLogFile } from '../runner/step-log-file';
import { classifyStepResult, logTailOf } from '../runner/recipe-step-executor';
import type { OutputStream, StepResult } from '../runner/step-result';
import { RemoteFirewallRelay } from './remote-firewall-relay';
import { runRemoteStep } from './remote-step-run';
import { RemoteStepWorkspace } from './remote-step-workspace';
import { renderEnvironmentFile } from './shell-quote';
import {
  DEFAULT_REMOTE_TEMP_DIR,
  REMOTE_BIN_DIR_NAME,
  REMOTE_BUNDLE_DIR_NAME,
  REMOTE_FW_FIFO_NAME,
} from './ssh.constants';
import { SshError } from './ssh.errors';
import type { SshConnectionPool } from './ssh-connection-pool';
import type {
  SshSetupFailure,
  SshSetupPhase,
  SshStepOutcome,
  SshStepRequest,
} from './ssh-step.types';
import { formatSshTarget, type SshTarget } from './ssh-target';

/** Dependencies of an `SshStepExecutor`: one per agentless target. */
export interface SshStepExecutorOptions {
  readonly pool: SshConnectionPool;
  readonly target: SshTarget;
  /** The target's firewall (an `SshFirewall`); when given, recipes get `flotilla-fw`. */
  readonly firewall?: Firewall;
  /** Where step directories are created on the target (default /tmp). */
  readonly remoteTempDir?: string;
  /** Grace between SIGTERM and SIGKILL of a timed-out remote step. */
  readonly killGraceMs?: number;
  readonly logger?: RecipeLogger;
}

/** The state of one step while it runs: set-up lines and the phase in progress. */
class SetupTrace {
  readonly lines: string[] = [];
  phase: SshSetupPhase = 'connect';
  /** Clean-up failures do not hide the step's result: they are reported beside it. */
  cleanupFailure: SshSetupFailure | undefined;

  note(line: string): void {
    this.lines.push(`${new Date().toISOString()} ${line}`);
  }
}

/**
 * Runs lifecycle steps on an agentless target, with the contract of `RecipeStepExecutor`: a
 * missing script is a no-op; otherwise the bundle goes to a private directory on the target,
 * the script runs there with the agent's variables, its output streams back, and the directory
 * is removed. Set-up (connection, upload, clean-up) is reported apart from the recipe's output.
 */
export class SshStepExecutor {
  private readonly logger: RecipeLogger;
  private readonly label: string;

  constructor(private readonly options: SshStepExecutorOptions) {
    this.logger = options.logger ?? NOOP_RECIPE_LOGGER;
    this.label = formatSshTarget(options.target);
  }

  /** Runs the step; never reports success it did not see. Set-up failures are outcomes, not throws. */
  async execute(request: SshStepRequest): Promise<SshStepOutcome> {
    if (request.scriptPath === undefined) {
      return { step: request.step, status: 'skipped', logTail: '', setupLog: [] };
    }
    if (request.signal?.aborted) {
      // Stopping before the remote process exists: nothing to start, nothing to clean.
      return {
        step: request.step,
        status: 'aborted',
        logTail: '',
        setupLog: ['aborted before start'],
      };
    }
    const scriptInBundle = bundleRelativePath(request.bundleDir, request.scriptPath);
    const trace = new SetupTrace();
    const log = request.logPath
      ? await StepLogFile.open(
          request.logPath,
          request.outputCapBytes,
          `${request.step} ${request.environment.instancePath} on ${this.label}: ${scriptInBundle}`,
        )
      : undefined;
    let result: StepResult | undefined;
    let failure: SshSetupFailure | undefined;
    try {
      trace.note(`connecting to ${this.label}`);
      result = await this.options.pool.use(this.options.target, (client) =>
        this.runInWorkspace(client, request, scriptInBundle, trace, log),
      );
    } catch (error: unknown) {
      failure = toSetupFailure(error, trace.phase);
      trace.note(`${failure.phase} failed: ${failure.message}`);
      log?.append(`[flotilla proxy] ${failure.message}\n`);
    }
    const outcome = this.outcomeOf(request, result, failure, trace);
    await log?.close(result, outcome.status);
    return outcome;
  }

  private async runInWorkspace(
    client: Client,
    request: SshStepRequest,
    scriptInBundle: string,
    trace: SetupTrace,
    log: StepLogFile | undefined,
  ): Promise<StepResult> {
    trace.phase = 'upload';
    const workspace = await RemoteStepWorkspace.create(client, this.label, this.remoteTempDir());
    trace.note(`connected; created ${workspace.dir}`);
    let relay: RemoteFirewallRelay | undefined;
    let result: StepResult | undefined;
    try {
      await this.prepare(client, workspace, request, (started) => (relay = started));
      trace.note('uploaded the recipe bundle');
      trace.phase = 'connect';
      result = await runRemoteStep({
        client,
        target: this.label,
        workspace,
        scriptInBundle,
        timeoutMs: request.timeoutMs,
        outputCapBytes: request.outputCapBytes,
        killGraceMs: this.options.killGraceMs,
        signal: request.signal,
        onOutput: (chunk: string, stream: OutputStream) => {
          log?.append(chunk);
          request.onOutput?.(chunk, stream);
        },
      });
      return result;
    } finally {
      trace.phase = 'cleanup';
      await this.cleanUp(workspace, result, trace);
      await relay?.finished();
    }
  }

  /** Uploads the step's files and, with a firewall, starts the relay meanwhile (given to `onRelay`). */
  private async prepare(
    client: Client,
    workspace: RemoteStepWorkspace,
    request: SshStepRequest,
    onRelay: (relay: RemoteFirewallRelay) => void,
  ): Promise<void> {
    const firewall = this.options.firewall;
    const environment = buildStepEnvironment({
      ...request.environment,
      filesDir: workspace.pathOf(REMOTE_BUNDLE_DIR_NAME, 'files'),
      inherited: {},
      firewallHelperPath: firewall
        ? workspace.pathOf(REMOTE_BIN_DIR_NAME, 'flotilla-fw')
        : undefined,
      firewallSocketPath: firewall ? workspace.pathOf(REMOTE_FW_FIFO_NAME) : undefined,
    });
    const owner = request.environment.instancePath;
    // Settle both before deciding: a relay still starting when clean-up runs would be left behind.
    const [uploaded, relay] = await Promise.allSettled([
      workspace.upload(request.bundleDir, renderEnvironmentFile(environment)),
      firewall
        ? RemoteFirewallRelay.start(client, this.label, workspace, {
            firewall,
            owner,
            logger: this.logger,
          })
        : Promise.resolve(undefined),
    ]);
    if (relay.status === 'fulfilled' && relay.value) {
      onRelay(relay.value);
    }
    if (uploaded.status === 'rejected') {
      throw uploaded.reason;
    }
    if (relay.status === 'rejected') {
      throw relay.reason;
    }
  }

  /** Removes the step directory unless the wrapper did (it does when the script ran to its end). */
  private async cleanUp(
    workspace: RemoteStepWorkspace,
    result: StepResult | undefined,
    trace: SetupTrace,
  ): Promise<void> {
    if (result && result.exitCode !== null && !result.timedOut && !result.aborted) {
      trace.note(`the wrapper removed ${workspace.dir}`);
      return;
    }
    try {
      await workspace.remove();
      trace.note(`removed ${workspace.dir}`);
    } catch (error: unknown) {
      trace.cleanupFailure = toSetupFailure(error, 'cleanup');
      trace.note(`cleanup failed: ${trace.cleanupFailure.message}`);
    }
  }

  private remoteTempDir(): string {
    return this.options.remoteTempDir ?? DEFAULT_REMOTE_TEMP_DIR;
  }

  private outcomeOf(
    request: SshStepRequest,
    result: StepResult | undefined,
    setupFailure: SshSetupFailure | undefined,
    trace: SetupTrace,
  ): SshStepOutcome {
    const failure = setupFailure ?? trace.cleanupFailure;
    const status: RecipeStepStatus = result ? classifyStepResult(result) : 'failed';
    const context = {
      step: request.step,
      instancePath: request.environment.instancePath,
      target: this.label,
    };
    if (failure) {
      this.logger.warn(`Step ${request.step} on ${this.label}: ${failure.phase} failed`, {
        ...context,
        error: failure.message,
      });
    } else {
      this.logger.info(`Step ${request.step} on ${this.label} ${status}`, {
        ...context,
        exitCode: result?.exitCode,
      });
    }
    return {
      step: request.step,
      status,
      result,
      logTail: result ? logTailOf(result.output.text) : '',
      setupLog: trace.lines,
      setupFailure: failure,
    };
  }
}

/**
 * The script's path inside the bundle, with `/` separators.
 * @throws SshError SSH_UPLOAD_FAILED when the script is not inside the bundle.
 */
function bundleRelativePath(bundleDir: string, scriptPath: string): string {
  const path = relative(bundleDir, scriptPath);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    throw new SshError(
      'SSH_UPLOAD_FAILED',
      `Step script ${scriptPath} is not inside the bundle ${bundleDir}`,
      { file: scriptPath },
    );
  }
  return path.split(sep).join('/');
}

function toSetupFailure(error: unknown, phase: SshSetupPhase): SshSetupFailure {
  if (error instanceof SshError) {
    const isConnectionProblem =
      error.code === 'SSH_CONNECTION_LOST' || error.code === 'SSH_UNREACHABLE';
    return {
      phase: isConnectionProblem ? 'connect' : phase,
      code: error.code,
      message: error.message,
    };
  }
  if (error instanceof Error) {
    return {
      phase,
      code: 'code' in error ? String(error.code) : error.name,
      message: error.message,
    };
  }
  return { phase, code: 'UNKNOWN', message: String(error) };
}
