import { componentOf } from '../imports/component-lookup';
import type { InstanceState, LifecycleEvent, StepKind } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import { isStepRunning, type LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleStep } from './lifecycle.types';
import type { InstanceTree } from './instance-tree';
import type { ReconcileQueue } from './reconcile-queue';

/** A decision for one instance: an event to apply and, unless it only changes the status, a step to run. */
interface Decision {
  readonly event: LifecycleEvent;
  readonly step?: StepKind;
}

/** A parent in these states has its files in place: its children may be deployed (Roboconf: started or stopped). */
const DEPLOYED_STATES: readonly InstanceState[] = [
  'deployed_stopped',
  'starting',
  'unresolved',
  'waiting_for_ancestor',
  'deployed_started',
];

/** One pass of decisions over the ledger, with the imports as they stood when it began (committed). */
class ReconcilePass {
  private readonly mustStopMemo = new Map<string, boolean>();

  constructor(
    private readonly ledger: LifecycleLedger,
    private readonly tree: InstanceTree,
  ) {}

  decide(path: string): Decision | undefined {
    const runtime = this.ledger.get(path);
    const isBlocked = (step: StepKind): boolean => runtime.failure?.step === step;
    const step = (kind: StepKind, event: LifecycleEvent = kind): Decision | undefined =>
      isBlocked(kind) ? undefined : { event, step: kind };
    switch (runtime.state) {
      case 'not_deployed':
        return runtime.desiredState !== 'not_deployed' && this.isParentDeployed(path)
          ? step('deploy')
          : undefined;
      case 'problem':
        return runtime.desiredState === 'not_deployed' && this.isSubtreeUndeployed(path)
          ? step('undeploy')
          : undefined;
      case 'deployed_started':
        return this.mustStop(path) && !this.hasRunningDescendant(path)
          ? step('stop', this.stopCause(path))
          : undefined;
      case 'deployed_stopped':
      case 'unresolved':
      case 'waiting_for_ancestor':
        return this.decideResting(path, runtime.state, step);
      case 'deploying':
      case 'starting':
      case 'stopping':
      case 'undeploying':
        return undefined;
    }
  }

  private decideResting(
    path: string,
    state: InstanceState,
    step: (kind: StepKind) => Decision | undefined,
  ): Decision | undefined {
    switch (this.ledger.get(path).desiredState) {
      case 'not_deployed':
        return this.isSubtreeUndeployed(path) ? step('undeploy') : undefined;
      case 'deployed_stopped':
        return state === 'deployed_stopped' ? undefined : { event: 'start-cancelled' };
      case 'deployed_started':
        if (!this.isParentStarted(path)) {
          return state === 'waiting_for_ancestor' ? undefined : { event: 'ancestor-not-started' };
        }
        if (!this.areImportsComplete(path)) {
          return state === 'unresolved' ? undefined : { event: 'imports-missing' };
        }
        return step('start');
    }
  }

  /** A started instance must stop when it is not wanted started, its parent is not (or will not stay) started, or it lost a mandatory import. */
  private mustStop(path: string): boolean {
    const memo = this.mustStopMemo.get(path);
    if (memo !== undefined) {
      return memo;
    }
    const runtime = this.ledger.get(path);
    const result =
      runtime.state === 'deployed_started' &&
      (runtime.desiredState !== 'deployed_started' ||
        !this.isParentStarted(path) ||
        !this.areImportsComplete(path));
    this.mustStopMemo.set(path, result);
    return result;
  }

  private stopCause(path: string): LifecycleEvent {
    if (this.ledger.get(path).desiredState !== 'deployed_started') {
      return 'stop';
    }
    return this.isParentStarted(path) ? 'imports-lost' : 'ancestor-stopped';
  }

  private isParentDeployed(path: string): boolean {
    const parent = this.tree.parentOf(path);
    return parent === undefined || DEPLOYED_STATES.includes(this.ledger.stateOf(parent.path));
  }

  private isParentStarted(path: string): boolean {
    const parent = this.tree.parentOf(path);
    return (
      parent === undefined ||
      (this.ledger.stateOf(parent.path) === 'deployed_started' && !this.mustStop(parent.path))
    );
  }

  private areImportsComplete(path: string): boolean {
    return this.ledger.isImportComplete(path);
  }

  private hasRunningDescendant(path: string): boolean {
    return this.tree.descendantsOf(path).some((descendant) => {
      const state = this.ledger.stateOf(descendant.path);
      return state === 'deployed_started' || isStepRunning(state);
    });
  }

  private isSubtreeUndeployed(path: string): boolean {
    return this.tree
      .descendantsOf(path)
      .every((descendant) => this.ledger.stateOf(descendant.path) === 'not_deployed');
  }
}

/**
 * Brings every owned instance as close to its desired state as the rules allow now: status-only
 * changes (`unresolved`, `waiting_for_ancestor`, ...) are applied, and steps that can run are issued
 * (their instances enter the transient state). Repeats until nothing changes. Only the instances in
 * the queue are looked at: the ledger marks there every instance whose rules may give a new answer.
 * @throws LifecycleError `PLAN_DID_NOT_SETTLE` if the rules keep changing states (a bug guard).
 */
export function reconcile(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  queue: ReconcileQueue,
): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  const maxPasses = 2 * queue.ownedCount + 2;
  for (let passes = 0; ; passes++) {
    if (passes > maxPasses) {
      throw new LifecycleError(
        'PLAN_DID_NOT_SETTLE',
        `Lifecycle did not settle after ${maxPasses} passes`,
      );
    }
    ledger.commitImports();
    if (!queue.startPass()) {
      return steps;
    }
    const pass = new ReconcilePass(ledger, tree);
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
      const decision = pass.decide(path);
      if (decision !== undefined) {
        ledger.apply(path, decision.event);
        if (decision.step !== undefined) {
          const instance = tree.get(path);
          const { installer } = componentOf(ledger.graph, instance);
          steps.push({
            kind: decision.step,
            instancePath: path,
            component: instance.component,
            installer,
            cause: decision.event,
          });
        }
      }
    }
  }
}
