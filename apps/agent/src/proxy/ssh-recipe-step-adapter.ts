import { dirname } from 'node:path';
import type { AgentlessSetupPayload } from '@flotilla/protocol';
import {
  formatSshTarget,
  type RecipeStepOutcome,
  type RecipeStepRequest,
  type SshStepExecutor,
  type SshTarget,
} from '@flotilla/recipes';

/** Longest set-up line carried to the DM (the whole line stays in the set-up log file). */
const MAX_SETUP_LINE_CHARS = 1024;
/** Most set-up lines carried to the DM: the last ones, where a failure is. */
const MAX_SETUP_LINES = 64;

/**
 * The agent's step-executor boundary for one agentless job: takes the request the step runner
 * builds for a local step and runs it on the target with `SshStepExecutor` (the bundle directory
 * is the parent of the request's `filesDir`, as the runner sets it), keeping the proxy's set-up
 * apart from the recipe's output in `setup`.
 */
export class SshRecipeStepAdapter {
  private lastSetup: AgentlessSetupPayload | undefined;

  constructor(
    private readonly executor: SshStepExecutor,
    private readonly target: SshTarget,
  ) {}

  /** What the proxy did around the last step (undefined before a step ran). */
  get setup(): AgentlessSetupPayload | undefined {
    return this.lastSetup;
  }

  /** Runs the step on the target; set-up failures are outcomes (`failed` with `setup.failure`). */
  async execute(request: RecipeStepRequest): Promise<RecipeStepOutcome> {
    const { filesDir, inherited: _inherited, home: _home, ...environment } = request.environment;
    const outcome = await this.executor.execute({
      step: request.step,
      scriptPath: request.scriptPath,
      bundleDir: dirname(filesDir),
      environment,
      timeoutMs: request.timeoutMs,
      outputCapBytes: request.outputCapBytes,
      ...(request.onOutput === undefined ? {} : { onOutput: request.onOutput }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      ...(request.logPath === undefined ? {} : { logPath: request.logPath }),
    });
    this.lastSetup = {
      target: formatSshTarget(this.target),
      log: outcome.setupLog
        .slice(-MAX_SETUP_LINES)
        .map((line) => line.slice(0, MAX_SETUP_LINE_CHARS)),
      ...(outcome.setupFailure === undefined
        ? {}
        : {
            failure: {
              phase: outcome.setupFailure.phase,
              code: outcome.setupFailure.code.slice(0, 64),
              message: outcome.setupFailure.message.slice(0, 2048),
            },
          }),
    };
    return outcome;
  }
}
