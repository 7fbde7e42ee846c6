import { resolveImports, type ExternalExport, type ImportResolution } from '../imports';
import type { InstanceState, LifecycleEvent } from './lifecycle.constants';
import type {
  AppliedTransition,
  ApplicationSnapshot,
  InstanceRuntimeState,
} from './lifecycle.types';
import { isStableState, transition } from './transition';

const UNTOUCHED: InstanceRuntimeState = { state: 'not_deployed', desiredState: 'not_deployed' };

/** True for the states in which a step is running (the stable ones and `problem` are resting states). */
export function isStepRunning(state: InstanceState): boolean {
  return !isStableState(state) && state !== 'problem';
}

/**
 * A working copy of an application's instance lifecycles: every change goes through the transition
 * table and is recorded in order, and `snapshot` returns the result as new plain data.
 */
export class LifecycleLedger {
  readonly transitions: AppliedTransition[] = [];
  private readonly runtime: Map<string, InstanceRuntimeState>;
  /** Imports only depend on which instances are started: kept until that changes. */
  private cachedResolution: ImportResolution | undefined;

  private exports: ApplicationSnapshot['exports'];
  private external: readonly ExternalExport[] | undefined;

  constructor(private readonly application: ApplicationSnapshot) {
    this.runtime = new Map(Object.entries(application.runtime));
    this.exports = application.exports;
    this.external = application.external;
  }

  /** The application's resolved graph. */
  get graph(): ApplicationSnapshot['graph'] {
    return this.application.graph;
  }

  /** The lifecycle of the instance at a path (`not_deployed` when never touched). */
  get(path: string): InstanceRuntimeState {
    return this.runtime.get(path) ?? UNTOUCHED;
  }

  /** The state of the instance at a path. */
  stateOf(path: string): InstanceState {
    return this.get(path).state;
  }

  /** Replaces the lifecycle of an instance as is (for desired states, failures, reported states). */
  set(path: string, runtime: InstanceRuntimeState): void {
    const wasStarted = this.stateOf(path) === 'deployed_started';
    this.runtime.set(path, runtime);
    if (wasStarted !== (runtime.state === 'deployed_started')) {
      this.cachedResolution = undefined;
    }
  }

  /**
   * Applies an event to an instance through the transition table and records it.
   * @throws LifecycleError `ILLEGAL_TRANSITION` when the table does not allow it.
   */
  apply(path: string, event: LifecycleEvent): InstanceState {
    const current = this.get(path);
    const to = transition(path, current.state, event, current.previousStableState);
    // Import changes kept while starting are released (or dropped) once the start is over.
    const { previousStableState, pendingImportChanges: _released, ...rest } = current;
    this.set(
      path,
      isStepRunning(to)
        ? { ...rest, state: to, previousStableState: previousStableState ?? current.state }
        : { ...rest, state: to },
    );
    if (to !== current.state) {
      this.transitions.push({ instancePath: path, from: current.state, to, event });
    }
    return to;
  }

  /** Replaces the exported values of one instance (an agent reported its address or ports). */
  setExports(path: string, values: Readonly<Record<string, string>>): void {
    this.exports = { ...this.exports, [path]: values };
    this.cachedResolution = undefined;
  }

  /** Replaces the exports of the bound applications' started instances (they started or stopped). */
  setExternal(external: readonly ExternalExport[]): void {
    this.external = external;
    this.cachedResolution = undefined;
  }

  /** The imports of every instance as the states now stand (only started instances export). */
  resolution(): ImportResolution {
    this.cachedResolution ??= this.resolveNow();
    return this.cachedResolution;
  }

  private resolveNow(): ImportResolution {
    const startedPaths = new Set(
      this.application.instances
        .map((instance) => instance.path)
        .filter((path) => this.stateOf(path) === 'deployed_started'),
    );
    return resolveImports({
      graph: this.application.graph,
      instances: this.application.instances,
      startedPaths,
      exports: this.exports,
      external: this.external,
    });
  }

  /** The application with the lifecycles as they now stand. */
  snapshot(): ApplicationSnapshot {
    return {
      ...this.application,
      runtime: Object.fromEntries(this.runtime),
      exports: this.exports,
      ...(this.external === undefined ? {} : { external: this.external }),
    };
  }
}
