import {
  diffImports,
  type ImportChange,
  type ImportResolution,
  type InstanceImportChanges,
} from '../imports';
import type { InstanceTree } from './instance-tree';
import type { LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleInput, LifecycleStep } from './lifecycle.types';

/** What `updateSteps` needs to know about the reaction it completes. */
export interface UpdateContext {
  readonly ledger: LifecycleLedger;
  readonly tree: InstanceTree;
  readonly isOwned: (instancePath: string) => boolean;
  /** Instances started before the reaction, and the one whose start just succeeded (if any). */
  readonly wasStarted: ReadonlySet<string>;
  /** Instances whose start script was already running before the reaction. */
  readonly wasStarting: ReadonlySet<string>;
  /** Import changes an instance saw while it was starting, released now that its start succeeded. */
  readonly released?: InstanceImportChanges;
}

/**
 * What the update steps of a reaction depend on, taken before its input is applied: which
 * instances were started or starting, and the changes a succeeding start releases.
 */
export function captureUpdateContext(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  isOwned: (instancePath: string) => boolean,
  input: LifecycleInput,
): UpdateContext {
  const pathsIn = (state: string): Set<string> =>
    new Set(
      tree.instances.map((entry) => entry.path).filter((path) => ledger.stateOf(path) === state),
    );
  const wasStarted = pathsIn('deployed_started');
  if (input.type !== 'step-succeeded' || input.step !== 'start') {
    return { ledger, tree, isOwned, wasStarted, wasStarting: pathsIn('starting') };
  }
  const changes = ledger.get(input.instancePath).pendingImportChanges ?? [];
  return {
    ledger,
    tree,
    isOwned,
    wasStarted: wasStarted.add(input.instancePath),
    wasStarting: pathsIn('starting'),
    ...(changes.length === 0 ? {} : { released: { instancePath: input.instancePath, changes } }),
  };
}

/**
 * The `update` steps of a reaction: one per changed exporter for every owned instance that was and
 * stays started with complete imports. Changes seen by an instance while its start script runs are
 * kept on it (`pendingImportChanges`) and released when the start succeeds, since its start script
 * was given the imports as they were when it began.
 */
export function updateSteps(
  context: UpdateContext,
  before: ImportResolution,
  after: ImportResolution,
): LifecycleStep[] {
  const { ledger, isOwned } = context;
  const changed = before === after ? [] : diffImports(before, after);
  const ready = [...(context.released === undefined ? [] : [context.released])];
  for (const entry of changed.filter((candidate) => isOwned(candidate.instancePath))) {
    if (
      context.wasStarting.has(entry.instancePath) &&
      ledger.stateOf(entry.instancePath) === 'starting'
    ) {
      const runtime = ledger.get(entry.instancePath);
      const pendingImportChanges = [...(runtime.pendingImportChanges ?? []), ...entry.changes];
      ledger.set(entry.instancePath, { ...runtime, pendingImportChanges });
    } else if (context.wasStarted.has(entry.instancePath)) {
      ready.push(entry);
    }
  }
  return ready
    .filter(
      (entry) =>
        ledger.stateOf(entry.instancePath) === 'deployed_started' &&
        after[entry.instancePath]?.isComplete === true,
    )
    .flatMap((entry) => entry.changes.map((change) => stepOf(context, entry.instancePath, change)));
}

function stepOf(context: UpdateContext, path: string, importChange: ImportChange): LifecycleStep {
  const instance = context.tree.get(path);
  context.ledger.apply(path, 'update');
  return {
    kind: 'update',
    instancePath: path,
    component: instance.component,
    installer: context.ledger.graph.components[instance.component]?.installer ?? '',
    cause: 'update',
    importChange,
  };
}
