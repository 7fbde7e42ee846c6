import { REQUESTABLE_RANK, REQUESTABLE_STATES, type RequestableState } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import type { LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleRequest } from './lifecycle.types';
import type { InstanceTree } from './instance-tree';

/**
 * Records a user's request as desired states: the targeted instances get the requested state;
 * ancestors of a deploy or start are wanted at least deployed (parents are deployed before children);
 * descendants of a stop or undeploy are wanted at most as much (every descendant is stopped or
 * undeployed too, deepest first). Every instance the request involves loses its failure record, so
 * that a failed step may run again.
 * @throws LifecycleError `ILLEGAL_REQUEST` for a state a user may not request, `UNKNOWN_INSTANCE` for an unknown path.
 */
export function applyRequest(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  request: LifecycleRequest,
): void {
  const { instancePath, targetState } = request;
  if (!(REQUESTABLE_STATES as readonly string[]).includes(targetState)) {
    throw new LifecycleError(
      'ILLEGAL_REQUEST',
      `Instance ${instancePath}: state "${targetState}" cannot be requested ` +
        `(only ${REQUESTABLE_STATES.join(', ')})`,
      { instancePath, request: targetState, state: ledger.stateOf(instancePath) },
    );
  }
  const target = tree.get(instancePath);
  const descendants = tree.descendantsOf(instancePath);
  const targeted = request.scope === 'subtree' ? [target, ...descendants] : [target];
  for (const instance of targeted) {
    want(ledger, instance.path, () => targetState);
  }
  if (targetState !== 'not_deployed') {
    for (const ancestor of tree.ancestorsOf(instancePath)) {
      want(ledger, ancestor.path, (desired) => higher(desired, 'deployed_stopped'));
    }
  }
  if (targetState !== 'deployed_started') {
    for (const descendant of descendants) {
      want(ledger, descendant.path, (desired) => lower(desired, targetState));
    }
  }
}

/** Sets an instance's desired state and clears its failure record. */
function want(
  ledger: LifecycleLedger,
  path: string,
  desired: (current: RequestableState) => RequestableState,
): void {
  const { failure: _cleared, ...runtime } = ledger.get(path);
  ledger.set(path, { ...runtime, desiredState: desired(runtime.desiredState) });
}

function higher(a: RequestableState, b: RequestableState): RequestableState {
  return REQUESTABLE_RANK[a] >= REQUESTABLE_RANK[b] ? a : b;
}

function lower(a: RequestableState, b: RequestableState): RequestableState {
  return REQUESTABLE_RANK[a] <= REQUESTABLE_RANK[b] ? a : b;
}
