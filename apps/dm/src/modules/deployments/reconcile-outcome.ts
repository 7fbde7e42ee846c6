import type { SettledReaction } from './lifecycle-settler';

/** What a request or a result changed: the state changes and the jobs it queued. */
export interface ReconcileOutcome {
  readonly transitions: SettledReaction['transitions'];
  readonly queuedJobs: readonly string[];
}

/** An outcome that changed nothing. */
export const NOTHING: ReconcileOutcome = { transitions: [], queuedJobs: [] };

/** The outcomes of several inputs, in order, as one. */
export function mergedOutcome(outcomes: readonly ReconcileOutcome[]): ReconcileOutcome {
  return {
    transitions: outcomes.flatMap((outcome) => outcome.transitions),
    queuedJobs: outcomes.flatMap((outcome) => outcome.queuedJobs),
  };
}
