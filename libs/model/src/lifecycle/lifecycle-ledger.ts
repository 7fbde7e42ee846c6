import {
  resolveImports,
  type ExternalExport,
  type ImportResolution,
  type InstanceImportChanges,
  type InstanceImports,
} from '../imports';
import { importChangesSince } from '../imports/import-delta';
import { ImportIndex } from '../imports/import-index';
import type { InstanceState, LifecycleEvent } from './lifecycle.constants';
import type {
  AppliedTransition,
  ApplicationSnapshot,
  InstanceRuntimeState,
} from './lifecycle.types';
import { ReactionJournal } from './reaction-journal';
import { RecordHistory } from '../history/record-history';
import { isStableState, transition } from './transition';

const UNTOUCHED: InstanceRuntimeState = { state: 'not_deployed', desiredState: 'not_deployed' };

/** True for the states in which a step is running (the stable ones and `problem` are resting states). */
export function isStepRunning(state: InstanceState): boolean {
  return !isStableState(state) && state !== 'problem';
}

/** Told of every instance whose lifecycle, or whose imports' completeness, changed. */
export type LedgerChangeListener = (path: string) => void;

/**
 * A working copy of an application's instance lifecycles: every change goes through the transition
 * table and is recorded in order, and `snapshot` returns the result as new plain data. It keeps an
 * import index that follows the started instances only when told to (`commitImports`), so that a
 * pass of decisions sees the imports as they stood when it began.
 */
export class LifecycleLedger {
  readonly transitions: AppliedTransition[] = [];
  private readonly runtime: Map<string, InstanceRuntimeState>;
  private readonly index: ImportIndex;
  /** Instances whose started-ness may differ from what the index was told. */
  private readonly uncommitted = new Set<string>();
  private readonly journal = new ReactionJournal();

  /** The model part of the application (graph, instances): the runtime and exports live here. */
  private readonly application: Omit<ApplicationSnapshot, 'runtime' | 'exports' | 'external'>;
  private readonly history: RecordHistory<InstanceRuntimeState>;

  constructor(
    application: ApplicationSnapshot,
    private readonly onChange: LedgerChangeListener = (): void => undefined,
  ) {
    // Nothing of the given snapshot but its model is kept: a snapshot may hold another engine's history.
    const { runtime, exports, external, ...model } = application;
    this.application = model;
    this.runtime = new Map(Object.entries(runtime));
    this.history = new RecordHistory(this.runtime);
    this.index = new ImportIndex(application.graph, application.instances, exports, external);
    for (const instance of application.instances) {
      if (this.stateOf(instance.path) === 'deployed_started') {
        this.index.setStarted(instance.path, true);
      }
    }
  }

  /** The application's resolved graph. */
  get graph(): ApplicationSnapshot['graph'] {
    return this.application.graph;
  }

  /** Starts a new reaction: transitions and the journal of what instances were like are emptied. */
  beginReaction(): void {
    this.transitions.length = 0;
    this.journal.begin();
  }

  /** The lifecycle of the instance at a path (`not_deployed` when never touched). */
  get(path: string): InstanceRuntimeState {
    return this.runtime.get(path) ?? UNTOUCHED;
  }

  /** The state of the instance at a path. */
  stateOf(path: string): InstanceState {
    return this.get(path).state;
  }

  /** The state of the instance at a path when the current reaction began. */
  stateAtReactionStart(path: string): InstanceState {
    return this.journal.stateAtStart(path, this.stateOf(path));
  }

  /** Replaces the lifecycle of an instance as is (for desired states, failures, reported states). */
  set(path: string, runtime: InstanceRuntimeState): void {
    const before = this.get(path);
    this.journal.recordState(path, before.state);
    this.history.willChange(path);
    this.runtime.set(path, runtime);
    if ((before.state === 'deployed_started') !== (runtime.state === 'deployed_started')) {
      this.uncommitted.add(path);
    }
    // The rules read only these: a change of anything else (pending import changes, the state
    // to go back to) cannot give a rule a new answer.
    if (
      before.state !== runtime.state ||
      before.desiredState !== runtime.desiredState ||
      before.failure !== runtime.failure
    ) {
      this.onChange(path);
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
    this.journal.recordExports(path, this.index.exportsOf(path));
    this.index.setExports(path, values);
  }

  /** Replaces the exports of the bound applications' started instances (they started or stopped). */
  setExternal(external: readonly ExternalExport[]): void {
    this.journal.recordExternal(this.index.external);
    for (const importer of this.index.setExternal(external)) {
      this.onChange(importer);
    }
  }

  /**
   * Brings the import index up to date with the instances that started or stopped since the last
   * commit; the listener hears of every importer whose completeness may have changed.
   */
  commitImports(): void {
    const paths = [...this.uncommitted];
    this.uncommitted.clear();
    for (const path of paths) {
      for (const importer of this.index.setStarted(
        path,
        this.stateOf(path) === 'deployed_started',
      )) {
        this.onChange(importer);
      }
    }
  }

  /** True when the instance's mandatory imports all have a started exporter, as of the last commit. */
  isImportComplete(path: string): boolean {
    return this.index.isComplete(path);
  }

  /** The values an instance exports now (whatever its state), by qualified name. */
  exportsOf(path: string): Readonly<Record<string, string>> {
    return this.index.exportsOf(path);
  }

  /** The imports of one instance, as of the last commit. */
  importsOf(path: string): InstanceImports | undefined {
    return this.index.resolve(path);
  }

  /**
   * The import changes of the current reaction (as of the last commit), for the importers for
   * which `isCandidate` holds, sorted by importer path then exporter path.
   */
  importChanges(isCandidate: (importerPath: string) => boolean): InstanceImportChanges[] {
    return importChangesSince(this.index, {
      touched: this.journal.touchedExporters(
        (path) => this.stateOf(path),
        (path) => this.index.exportsOf(path),
      ),
      externalBefore: this.journal.externalIfChanged(),
      isCandidate,
    });
  }

  /** The imports of every instance as the states now stand (only started instances export). */
  resolution(): ImportResolution {
    const startedPaths = new Set(
      this.application.instances
        .map((instance) => instance.path)
        .filter((path) => this.stateOf(path) === 'deployed_started'),
    );
    return resolveImports({
      graph: this.application.graph,
      instances: this.application.instances,
      startedPaths,
      exports: this.index.takeExports()(),
      external: this.index.external,
    });
  }

  /**
   * The application with the lifecycles as they now stand, as new plain data. Its `runtime` and
   * `exports` are built when first read (see `RecordHistory`): taking a snapshot costs nothing per
   * instance.
   */
  snapshot(): ApplicationSnapshot {
    const external = this.index.external;
    const snapshot = {
      ...this.application,
      runtime: {},
      exports: {},
      ...(external === undefined ? {} : { external }),
    };
    const runtimeNow = this.history.take();
    const exportsNow = this.index.takeExports();
    let runtime: ApplicationSnapshot['runtime'] | undefined;
    let exports: ApplicationSnapshot['exports'] | undefined;
    return Object.defineProperties(snapshot, {
      runtime: {
        enumerable: true,
        get: (): ApplicationSnapshot['runtime'] => (runtime ??= runtimeNow()),
      },
      exports: {
        enumerable: true,
        get: (): ApplicationSnapshot['exports'] => (exports ??= exportsNow()),
      },
    });
  }
}
