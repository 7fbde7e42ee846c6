import type { InstanceState, LifecycleEvent } from './lifecycle.constants';
import { STABLE_STATES } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import { PREVIOUS_STABLE_STATE, TRANSITIONS, type TransitionRule } from './transition-table';

const RULES_BY_EVENT: ReadonlyMap<LifecycleEvent, TransitionRule> = new Map(
  TRANSITIONS.map((rule) => [rule.event, rule]),
);

/** Tells whether a state is stable (an instance can rest in it) rather than transient. */
export function isStableState(state: InstanceState): boolean {
  return STABLE_STATES.includes(state);
}

/**
 * The state an instance reaches when `event` happens in `state`, according to `TRANSITIONS`.
 * Failure events return to `previousStableState`, the stable state the instance left when the step began.
 * @throws LifecycleError `ILLEGAL_TRANSITION` naming the instance, the state and the request when the
 * table has no such transition (or the failure has no legal state to go back to).
 */
export function transition(
  instancePath: string,
  state: InstanceState,
  event: LifecycleEvent,
  previousStableState?: InstanceState,
): InstanceState {
  const rule = RULES_BY_EVENT.get(event);
  if (rule === undefined || !rule.from.includes(state)) {
    const legal = rule === undefined ? 'none' : rule.from.join(', ');
    throw new LifecycleError(
      'ILLEGAL_TRANSITION',
      `Instance ${instancePath}: "${event}" is illegal in state ${state} (legal from: ${legal})`,
      { instancePath, state, request: event },
    );
  }
  if (rule.to !== PREVIOUS_STABLE_STATE) {
    return rule.to;
  }
  if (previousStableState === undefined || !(rule.revertsTo ?? []).includes(previousStableState)) {
    throw new LifecycleError(
      'ILLEGAL_TRANSITION',
      `Instance ${instancePath}: "${event}" in state ${state} cannot go back to ` +
        `${previousStableState ?? 'an unknown previous state'} (legal: ${(rule.revertsTo ?? []).join(', ')})`,
      { instancePath, state, request: event },
    );
  }
  return previousStableState;
}
