import type { StepEnvironmentInput } from '../environment/step-environment.types';
import type { RecipeStepOutcome, RecipeStepRequest } from '../runner/recipe-step.types';

/** Where set-up went wrong: reaching the target, preparing the step directory, or removing it. */
export type SshSetupPhase = 'connect' | 'upload' | 'cleanup';

/**
 * One lifecycle step to run on an agentless target: the local step request, with the unpacked
 * bundle (as `RecipeBundleCache.install` returns it) instead of a working directory and a user.
 * `scriptPath` is resolved locally with `resolveStepScript(bundleDir, step)`.
 */
export interface SshStepRequest extends Omit<RecipeStepRequest, 'cwd' | 'user' | 'environment'> {
  readonly bundleDir: string;
  /**
   * The step's variables; `filesDir` and the firewall fields point into the remote step
   * directory and are filled in by the executor, and only the target's login variables pass.
   */
  readonly environment: Omit<
    StepEnvironmentInput,
    'filesDir' | 'firewallHelperPath' | 'firewallSocketPath' | 'inherited' | 'home'
  >;
}

/** A set-up failure: what the proxy could not do on the target, apart from the recipe's output. */
export interface SshSetupFailure {
  readonly phase: SshSetupPhase;
  readonly code: string;
  readonly message: string;
}

/**
 * The outcome of a step run over SSH: the local outcome (`result` and `logTail` hold only the
 * recipe's own output), plus the proxy's set-up log and failure, kept apart so that an operator
 * can tell a connection problem from a recipe failure.
 */
export interface SshStepOutcome extends RecipeStepOutcome {
  /** What the proxy did around the step (connect, upload, clean-up), one line each. */
  readonly setupLog: readonly string[];
  /** Present when set-up failed: the step then is `failed` without a `result`, or clean-up failed. */
  readonly setupFailure?: SshSetupFailure;
}
