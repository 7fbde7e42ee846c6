import type { InstanceImports } from '../imports';
import { applyInput } from './apply-input';
import { LifecycleError } from './lifecycle.error';
import { InstanceTree } from './instance-tree';
import type { InstanceState } from './lifecycle.constants';
import { LifecycleLedger } from './lifecycle-ledger';
import type {
  AppliedTransition,
  ApplicationSnapshot,
  InstanceRuntimeState,
  LifecycleInput,
  LifecycleStep,
  ReactOptions,
} from './lifecycle.types';
import { reconcile } from './reconcile';
import { ReconcileQueue } from './reconcile-queue';
import { captureUpdateContext, updateSteps } from './update-steps';

/** What one reaction of an engine decided: the state changes in order, and the steps to run now. */
export interface EngineReaction {
  readonly transitions: readonly AppliedTransition[];
  readonly steps: readonly LifecycleStep[];
}

/**
 * The lifecycle of one application kept in memory across inputs, for callers that react to many
 * in a row (the DM's settling of a request, the planner, an agent): the same rules and results as
 * `react`, but each reaction only looks at the instances its input can affect (the changed
 * instances, their ancestors and descendants, and the importers of what they export), so its cost
 * follows what changed rather than the size of the application. The first reaction looks at every
 * instance, since a snapshot may come from anywhere.
 * @throws ImportsError `UNKNOWN_COMPONENT` (constructor) when an instance's component is not in the graph.
 */
export class LifecycleEngine {
  private readonly tree: InstanceTree;
  private readonly ledger: LifecycleLedger;
  private readonly queue: ReconcileQueue;
  private readonly isOwned: (instancePath: string) => boolean;
  private isBroken = false;

  constructor(application: ApplicationSnapshot, options: ReactOptions = {}) {
    this.isOwned = options.isOwned ?? ((): boolean => true);
    this.tree = new InstanceTree(application.instances);
    const owned = this.tree
      .topDown()
      .map((instance) => instance.path)
      .filter((path) => this.isOwned(path));
    this.queue = new ReconcileQueue(this.tree, owned);
    this.ledger = new LifecycleLedger(application, (path) => this.queue.markAround(path));
    this.queue.markAll();
  }

  /**
   * Applies one input and brings the application as close to its desired states as the rules allow
   * now (see `react`). An input that throws leaves the engine half-way: it refuses further inputs.
   * @throws LifecycleError `ILLEGAL_TRANSITION`, `UNKNOWN_INSTANCE`, `ILLEGAL_REQUEST`, or
   * `ENGINE_BROKEN` once an earlier input threw.
   */
  react(input: LifecycleInput): EngineReaction {
    if (this.isBroken) {
      throw new LifecycleError(
        'ENGINE_BROKEN',
        `Lifecycle engine refuses ${input.type}: an earlier input failed half-way; rebuild it from a snapshot`,
      );
    }
    this.isBroken = true;
    this.ledger.beginReaction();
    const context = captureUpdateContext(this.ledger, this.tree, this.isOwned, input);
    applyInput(this.ledger, this.tree, input);
    const steps = reconcile(this.ledger, this.tree, this.queue);
    this.ledger.commitImports();
    const updates = updateSteps(context);
    this.isBroken = false;
    return { transitions: [...this.ledger.transitions], steps: [...steps, ...updates] };
  }

  /** The lifecycle of the instance at a path now (`not_deployed` when never touched). */
  runtimeOf(path: string): InstanceRuntimeState {
    return this.ledger.get(path);
  }

  /** The state of the instance at a path now. */
  stateOf(path: string): InstanceState {
    return this.ledger.stateOf(path);
  }

  /** The imports of the instance at a path now (undefined for an unknown path), from the engine's index. */
  importsOf(path: string): InstanceImports | undefined {
    return this.ledger.importsOf(path);
  }

  /** The values an instance exports now (whatever its state), by qualified name. */
  exportsOf(path: string): Readonly<Record<string, string>> {
    return this.ledger.exportsOf(path);
  }

  /** The application as it now stands, as new plain data. */
  snapshot(): ApplicationSnapshot {
    return this.ledger.snapshot();
  }
}
