import { REQUESTABLE_RANK, REQUESTABLE_STATES, type RequestableState } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import type { LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleRequest } from './lifecycle.types';
import type { InstanceTree } from './instance-tree';

/**
 * Records a user's request as desired states: the targeted instances get the requested state (and
 * lose their failure record, so that a failed step may run again); ancestors of a deploy or start are
 * wanted at least deployed (parents are deployed before children); descendants of a stop or undeploy
 * are wanted at most as much (every descendant is stopped or undeployed too, deepest first).
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
    const { failure: _cleared, ...runtime } = ledger.get(instance.path);
    ledger.set(instance.path, { ...runtime, desiredState: targetState });
  }
  if (targetState !== 'not_deployed') {
    for (const ancestor of tree.ancestorsOf(instancePath)) {
      raiseDesired(ledger, ancestor.path, 'deployed_stopped');
    }
  }
  if (targetState !== 'deployed_started') {
    for (const descendant of descendants) {
      lowerDesired(ledger, descendant.path, targetState);
    }
  }
}

function raiseDesired(ledger: LifecycleLedger, path: string, floor: RequestableState): void {
  const runtime = ledger.get(path);
  if (REQUESTABLE_RANK[runtime.desiredState] < REQUESTABLE_RANK[floor]) {
    ledger.set(path, { ...runtime, desiredState: floor });
  }
}

function lowerDesired(ledger: LifecycleLedger, path: string, ceiling: RequestableState): void {
  const runtime = ledger.get(path);
  if (REQUESTABLE_RANK[runtime.desiredState] > REQUESTABLE_RANK[ceiling]) {
    ledger.set(path, { ...runtime, desiredState: ceiling });
  }
}
