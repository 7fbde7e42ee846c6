import { buildStepEnvironment } from '../environment/step-environment';
import { RecipeError } from '../errors';
import { defaultFirewallHelperPath } from '../firewall/firewall-helper-path';
import type { Firewall } from '../firewall/firewall';
import { FirewallSocketServer } from '../firewall/firewall-socket-server';
import { LOG_TAIL_BYTES } from '../recipes.constants';
import { NOOP_RECIPE_LOGGER, type RecipeLogger } from '../recipes.logger';
import type { RecipeStepOutcome, RecipeStepRequest, RecipeStepStatus } from './recipe-step.types';
import type { ScriptRunner } from './script-runner';
import { StepLogFile } from './step-log-file';
import { isStepSuccess, type OutputStream, type StepResult } from './step-result';

/** Dependencies of a `RecipeStepExecutor`. */
export interface RecipeStepExecutorOptions {
  readonly runner: ScriptRunner;
  /** When given, each step gets its own firewall socket and the `flotilla-fw` helper on its PATH. */
  readonly firewall?: Firewall;
  /** Where per-step socket directories are created (the agent's run directory). */
  readonly socketParentDir?: string;
  /** Defaults to the helper shipped in libs/recipes/bin. */
  readonly firewallHelperPath?: string;
  readonly logger?: RecipeLogger;
}

/**
 * Runs one lifecycle step of one instance: a missing script is a no-op; otherwise it serves the
 * step's firewall socket, builds the Roboconf environment, runs the script and classifies the end.
 */
export class RecipeStepExecutor {
  private readonly logger: RecipeLogger;

  constructor(private readonly options: RecipeStepExecutorOptions) {
    this.logger = options.logger ?? NOOP_RECIPE_LOGGER;
  }

  /** Runs the step; never reports success it did not see (only exit 0, no signal, no timeout). */
  async execute(request: RecipeStepRequest): Promise<RecipeStepOutcome> {
    const context = { step: request.step, instancePath: request.environment.instancePath };
    if (request.scriptPath === undefined) {
      this.logger.debug('No script for this step: nothing to run', context);
      return { step: request.step, status: 'skipped', logTail: '' };
    }
    const scriptPath = request.scriptPath;
    const socket = await this.startSocket(request);
    const log = await this.openLog(request, scriptPath);
    let outcome: RecipeStepOutcome | undefined;
    try {
      const result = await this.runScript(request, scriptPath, socket, log).catch(toSpawnFailure);
      if (result instanceof RecipeError) {
        outcome = { step: request.step, status: 'failed', logTail: result.message };
        log?.append(`${result.message}\n`);
        this.logger.warn(`Step ${request.step} could not start`, {
          ...context,
          error: result.message,
        });
        return outcome;
      }
      outcome = {
        step: request.step,
        status: classifyStepResult(result),
        result,
        logTail: logTailOf(result.output.text),
      };
      this.logger.info(`Step ${request.step} ${outcome.status}`, {
        ...context,
        exitCode: result.exitCode,
      });
      return outcome;
    } finally {
      await log?.close(outcome?.result, outcome?.status ?? 'error');
      await socket?.close();
    }
  }

  private runScript(
    request: RecipeStepRequest,
    scriptPath: string,
    socket: FirewallSocketServer | undefined,
    log: StepLogFile | undefined,
  ): Promise<StepResult> {
    const env = buildStepEnvironment({
      ...request.environment,
      home: request.environment.home ?? request.user?.home,
      firewallHelperPath: socket ? this.helperPath() : undefined,
      firewallSocketPath: socket?.socketPath,
    });
    const onOutput = (chunk: string, stream: OutputStream): void => {
      log?.append(chunk);
      request.onOutput?.(chunk, stream);
    };
    return this.options.runner.run({ ...request, scriptPath, env, onOutput });
  }

  private async openLog(
    request: RecipeStepRequest,
    scriptPath: string,
  ): Promise<StepLogFile | undefined> {
    if (request.logPath === undefined) {
      return undefined;
    }
    const header = `${request.step} ${request.environment.instancePath}: ${scriptPath}`;
    return StepLogFile.open(request.logPath, request.outputCapBytes, header);
  }

  private helperPath(): string {
    return this.options.firewallHelperPath ?? defaultFirewallHelperPath();
  }

  private async startSocket(request: RecipeStepRequest): Promise<FirewallSocketServer | undefined> {
    const { firewall, socketParentDir } = this.options;
    if (!firewall || !socketParentDir) {
      return undefined;
    }
    return FirewallSocketServer.start({
      firewall,
      owner: request.environment.instancePath,
      parentDir: socketParentDir,
      user: request.user,
      logger: this.logger,
    });
  }
}

/** A script that cannot even start (not executable, bad interpreter) is a failed step, not a crash. */
function toSpawnFailure(error: unknown): RecipeError {
  if (error instanceof RecipeError && error.code === 'STEP_SPAWN_FAILED') {
    return error;
  }
  throw error;
}

/** The status a step result maps to: timed-out and aborted first, then success or failure. */
export function classifyStepResult(result: StepResult): RecipeStepStatus {
  if (result.timedOut) {
    return 'timed-out';
  }
  if (result.aborted) {
    return 'aborted';
  }
  return isStepSuccess(result) ? 'succeeded' : 'failed';
}

/** The last `LOG_TAIL_BYTES` of a step's output: what a failure report carries. */
export function logTailOf(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= LOG_TAIL_BYTES ? text : bytes.subarray(-LOG_TAIL_BYTES).toString('utf8');
}
