import type { ImportChange, InstanceImportChanges } from '../imports';
import type { InstanceTree } from './instance-tree';
import type { LifecycleLedger } from './lifecycle-ledger';
import type { LifecycleInput, LifecycleStep } from './lifecycle.types';

/** What `updateSteps` needs to know about the reaction it completes. */
export interface UpdateContext {
  readonly ledger: LifecycleLedger;
  readonly tree: InstanceTree;
  readonly isOwned: (instancePath: string) => boolean;
  /** The instance whose start just succeeded (it counts as started before the reaction), if any. */
  readonly startSucceeded?: string;
  /** Import changes an instance saw while it was starting, released now that its start succeeded. */
  readonly released?: InstanceImportChanges;
}

/**
 * What the update steps of a reaction depend on, taken before its input is applied: the instance
 * whose start succeeds, and the changes that releases.
 */
export function captureUpdateContext(
  ledger: LifecycleLedger,
  tree: InstanceTree,
  isOwned: (instancePath: string) => boolean,
  input: LifecycleInput,
): UpdateContext {
  if (input.type !== 'step-succeeded' || input.step !== 'start') {
    return { ledger, tree, isOwned };
  }
  const changes = ledger.get(input.instancePath).pendingImportChanges ?? [];
  return {
    ledger,
    tree,
    isOwned,
    startSucceeded: input.instancePath,
    ...(changes.length === 0 ? {} : { released: { instancePath: input.instancePath, changes } }),
  };
}

/**
 * The `update` steps of a reaction: one per changed exporter for every owned instance that was and
 * stays started with complete imports. Changes seen by an instance while its start script runs are
 * kept on it (`pendingImportChanges`) and released when the start succeeds, since its start script
 * was given the imports as they were when it began. Only the importers of the exporters that
 * changed during the reaction are examined.
 */
export function updateSteps(context: UpdateContext): LifecycleStep[] {
  const { ledger, isOwned } = context;
  const wasStarted = (path: string): boolean =>
    path === context.startSucceeded || ledger.stateAtReactionStart(path) === 'deployed_started';
  const wasStarting = (path: string): boolean => ledger.stateAtReactionStart(path) === 'starting';
  const changed = ledger.importChanges(
    (path) => isOwned(path) && (wasStarted(path) || wasStarting(path)),
  );
  const ready = [...(context.released === undefined ? [] : [context.released])];
  for (const entry of changed) {
    if (wasStarting(entry.instancePath) && ledger.stateOf(entry.instancePath) === 'starting') {
      const runtime = ledger.get(entry.instancePath);
      const pendingImportChanges = [...(runtime.pendingImportChanges ?? []), ...entry.changes];
      ledger.set(entry.instancePath, { ...runtime, pendingImportChanges });
    } else if (wasStarted(entry.instancePath)) {
      ready.push(entry);
    }
  }
  return ready
    .filter(
      (entry) =>
        ledger.stateOf(entry.instancePath) === 'deployed_started' &&
        ledger.isImportComplete(entry.instancePath),
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
