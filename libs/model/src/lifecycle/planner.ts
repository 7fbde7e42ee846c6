import type { InstanceState } from './lifecycle.constants';
import { PLANNER_MAX_ROUNDS_PER_INSTANCE } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import { LifecycleEngine } from './lifecycle-engine';
import type { ApplicationSnapshot, LifecycleRequest, LifecycleStep } from './lifecycle.types';

/** A step of a plan, with the round in which it can run (steps of one round may run in parallel). */
export interface PlannedStep extends LifecycleStep {
  readonly round: number;
}

/** What a request will do if every step succeeds: the steps in order, and where every instance ends. */
export interface LifecyclePlan {
  readonly steps: readonly PlannedStep[];
  readonly finalStates: Readonly<Record<string, InstanceState>>;
  /** The application once every planned step has succeeded. */
  readonly application: ApplicationSnapshot;
}

/**
 * The ordered steps a request (or several, applied in order) causes, computed by running a
 * `LifecycleEngine` and assuming every step succeeds:
 * parents are deployed before children, descendants stopped and undeployed deepest first, an instance
 * started only once its parent is started and its mandatory imports are there (otherwise it ends in
 * `waiting_for_ancestor` or `unresolved`), and exporters started before their importers.
 * @throws LifecycleError `ILLEGAL_REQUEST`, `UNKNOWN_INSTANCE`, or `PLAN_DID_NOT_SETTLE` (a bug guard).
 */
export function planRequest(
  application: ApplicationSnapshot,
  requests: LifecycleRequest | readonly LifecycleRequest[],
): LifecyclePlan {
  const maxRounds = PLANNER_MAX_ROUNDS_PER_INSTANCE * (application.instances.length + 1);
  const all: readonly LifecycleRequest[] = Array.isArray(requests) ? requests : [requests];
  const engine = new LifecycleEngine(application);
  let pending: LifecycleStep[] = [];
  for (const request of all) {
    appendTo(pending, engine.react({ type: 'request', request }).steps);
  }
  const steps: PlannedStep[] = [];
  for (let round = 1; pending.length > 0; round++) {
    if (round > maxRounds) {
      throw new LifecycleError(
        'PLAN_DID_NOT_SETTLE',
        `Requests ${describe(all)} did not settle after ${maxRounds} rounds`,
      );
    }
    const next: LifecycleStep[] = [];
    for (const step of pending) {
      steps.push({ ...step, round });
      const reaction = engine.react({
        type: 'step-succeeded',
        instancePath: step.instancePath,
        step: step.kind,
      });
      appendTo(next, reaction.steps);
    }
    pending = next;
  }
  const finalStates = Object.fromEntries(
    application.instances.map((instance) => [instance.path, engine.stateOf(instance.path)]),
  );
  return { steps, finalStates, application: engine.snapshot() };
}

/** Appends without spreading: a reaction of a large application may have more steps than a call takes arguments. */
function appendTo(target: LifecycleStep[], steps: readonly LifecycleStep[]): void {
  for (const step of steps) {
    target.push(step);
  }
}

function describe(requests: readonly LifecycleRequest[]): string {
  return requests.map((request) => `${request.targetState} on ${request.instancePath}`).join(', ');
}
