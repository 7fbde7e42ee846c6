import { FAILURE_LOG_TAIL_MAX_CHARS, type InstanceState } from './lifecycle.constants';
import { applyRequest } from './desired-state';
import type { InstanceTree } from './instance-tree';
import { isStepRunning, type LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleInput, LifecycleStep } from './lifecycle.types';

/** Where an instance reported in a transient state goes back to if its step fails. */
const ASSUMED_PREVIOUS_STABLE: Readonly<Partial<Record<InstanceState, InstanceState>>> = {
  deploying: 'not_deployed',
  starting: 'deployed_stopped',
  stopping: 'deployed_started',
  undeploying: 'deployed_stopped',
};

/**
 * Applies what happened to the ledger: a request becomes desired states, a step's outcome moves its
 * instance through the transition table, reported states, exports and agents' presence are recorded.
 * @throws LifecycleError `ILLEGAL_TRANSITION`, `UNKNOWN_INSTANCE`, `ILLEGAL_REQUEST`.
 */
export function applyInput(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  input: LifecycleInput,
): void {
  switch (input.type) {
    case 'request':
      applyRequest(ledger, tree, input.request);
      return;
    case 'step-succeeded':
      applySuccess(ledger, tree, input.instancePath, input.step);
      return;
    case 'step-failed':
      applyFailure(ledger, tree, input);
      return;
    case 'state-reported':
      applyReportedState(ledger, tree, input.instancePath, input.state);
      return;
    case 'exports-changed':
      ledger.setExports(tree.get(input.instancePath).path, input.values);
      return;
    case 'external-exports-changed':
      ledger.setExternal(input.external);
      return;
    case 'agent-lost':
      for (const instance of [
        tree.get(input.instancePath),
        ...tree.descendantsOf(input.instancePath),
      ]) {
        const state = ledger.stateOf(instance.path);
        if (state !== 'not_deployed' && state !== 'problem') {
          ledger.apply(instance.path, 'agent-lost');
        }
      }
      return;
    case 'agent-alive':
      ledger.apply(tree.get(input.instancePath).path, 'agent-alive');
      return;
  }
}

/** Takes a state reported by the instance's owner as is; a transient one gets a state to go back to. */
function applyReportedState(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  path: string,
  state: InstanceState,
): void {
  const { previousStableState, ...runtime } = ledger.get(tree.get(path).path);
  const revertTo = previousStableState ?? ASSUMED_PREVIOUS_STABLE[state];
  ledger.set(
    path,
    isStepRunning(state) && revertTo !== undefined
      ? { ...runtime, state, previousStableState: revertTo }
      : { ...runtime, state },
  );
}

function applySuccess(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  path: string,
  step: LifecycleStep['kind'],
): void {
  const instancePath = tree.get(path).path;
  // An update does not hold the instance; its result may arrive after the instance began stopping.
  if (step !== 'update' || ledger.stateOf(instancePath) === 'deployed_started') {
    ledger.apply(instancePath, `${step}-succeeded`);
  }
  const { failure, ...runtime } = ledger.get(instancePath);
  ledger.set(instancePath, failure?.step === step ? runtime : { ...runtime, failure });
}

function applyFailure(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  input: Extract<LifecycleInput, { type: 'step-failed' }>,
): void {
  const instancePath = tree.get(input.instancePath).path;
  const failedIn = ledger.stateOf(instancePath);
  const revertedTo =
    input.step !== 'update' || failedIn === 'deployed_started'
      ? ledger.apply(instancePath, `${input.step}-failed`)
      : failedIn;
  const failure = {
    step: input.step,
    exitCode: input.exitCode,
    logTail: input.logTail.slice(-FAILURE_LOG_TAIL_MAX_CHARS),
    at: input.at,
    failedIn,
    revertedTo,
  };
  ledger.set(instancePath, { ...ledger.get(instancePath), failure });
}
