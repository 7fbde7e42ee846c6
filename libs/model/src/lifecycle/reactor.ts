import { FAILURE_LOG_TAIL_MAX_CHARS, type InstanceState } from './lifecycle.constants';
import { applyRequest } from './desired-state';
import { InstanceTree } from './instance-tree';
import { isStepRunning, LifecycleLedger } from './lifecycle-ledger';
import type {
  ApplicationSnapshot,
  LifecycleInput,
  LifecycleStep,
  ReactOptions,
  Reaction,
} from './lifecycle.types';
import { reconcile } from './reconcile';
import { captureUpdateContext, updateSteps } from './update-steps';

/** Where an instance reported in a transient state goes back to if its step fails. */
const ASSUMED_PREVIOUS_STABLE: Readonly<Partial<Record<InstanceState, InstanceState>>> = {
  deploying: 'not_deployed',
  starting: 'deployed_stopped',
  stopping: 'deployed_started',
  undeploying: 'deployed_stopped',
};

/**
 * The lifecycle's one entry point for the DM's reconciler and the agents: applies what happened (a
 * request, a step's outcome, a state reported by another agent, new exported values, an agent lost
 * or back), then computes the next state of every affected instance and the steps to run now:
 * deploys and starts that became possible, stops cascading from lost imports (deepest first),
 * waiting children starting with their parent, and one `update` step per changed exporter for every
 * started instance that stays started and complete. A failed step puts the instance back in its
 * previous stable state with a failure record, and is not retried until a new request involves the
 * instance. Pure: no I/O, no clock, the input is not modified.
 * @throws LifecycleError `ILLEGAL_TRANSITION` (a step outcome that does not fit the instance's state),
 * `UNKNOWN_INSTANCE`, `ILLEGAL_REQUEST`.
 */
export function react(
  application: ApplicationSnapshot,
  input: LifecycleInput,
  options: ReactOptions = {},
): Reaction {
  const isOwned = options.isOwned ?? ((): boolean => true);
  const tree = new InstanceTree(application.instances);
  const ledger = new LifecycleLedger(application);
  const before = ledger.resolution();
  const context = captureUpdateContext(ledger, tree, isOwned, input);
  applyInput(ledger, tree, input);
  const steps = reconcile(ledger, tree, isOwned);
  const updates = updateSteps(context, before, ledger.resolution());
  return {
    application: ledger.snapshot(),
    transitions: ledger.transitions,
    steps: [...steps, ...updates],
  };
}

function applyInput(ledger: LifecycleLedger, tree: InstanceTree, input: LifecycleInput): void {
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
