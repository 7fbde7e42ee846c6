import type { RecipeStepName } from '../bundle/recipe-bundle.types';
import type { StepEnvironmentInput } from '../environment/step-environment.types';
import type { OutputStream, StepResult, StepUser } from './step-result';

/** One lifecycle step to run for one instance. */
export interface RecipeStepRequest {
  readonly step: RecipeStepName;
  /** The resolved script, or undefined when the component has none for this step (a no-op). */
  readonly scriptPath: string | undefined;
  /** The instance's working directory. */
  readonly cwd: string;
  /** Everything but the firewall fields, which the executor fills in. */
  readonly environment: Omit<StepEnvironmentInput, 'firewallHelperPath' | 'firewallSocketPath'>;
  readonly user?: StepUser;
  readonly timeoutMs: number;
  readonly outputCapBytes: number;
  readonly onOutput?: (chunk: string, stream: OutputStream) => void;
  readonly signal?: AbortSignal;
  /** When given, the step's output is also appended to this file (the copy kept on the agent). */
  readonly logPath?: string;
}

/** How a step ended: `skipped` when it had no script, which counts as a success. */
export type RecipeStepStatus = 'succeeded' | 'skipped' | 'failed' | 'timed-out' | 'aborted';

/** The outcome of a step, with what a failure report to the DM needs. */
export interface RecipeStepOutcome {
  readonly step: RecipeStepName;
  readonly status: RecipeStepStatus;
  /** Absent when the step was skipped. */
  readonly result?: StepResult;
  /** The end of the output, for failure reports. */
  readonly logTail: string;
}
