import type { ImportResolution, InstanceImports } from '../imports';
import { engineOf } from './engine-cache';
import { LifecycleLedger } from './lifecycle-ledger';
import type { ApplicationSnapshot } from './lifecycle.types';

/**
 * The imports of every instance of a snapshot, as its states stand: only `deployed_started`
 * instances (and the bound applications' exports) export. What a step's environment is built from.
 * @throws ImportsError `UNKNOWN_COMPONENT` when an instance's component is not in the graph.
 */
export function resolveSnapshotImports(application: ApplicationSnapshot): ImportResolution {
  return new LifecycleLedger(application).resolution();
}

/**
 * The imports of one instance of a snapshot (undefined for an unknown path), as
 * `resolveSnapshotImports` gives them but without resolving every other instance's. For a snapshot
 * `react` returned, the index of the engine that produced it answers (no work for the others).
 * @throws ImportsError `UNKNOWN_COMPONENT` when an instance's component is not in the graph.
 */
export function resolveInstanceImports(
  application: ApplicationSnapshot,
  instancePath: string,
): InstanceImports | undefined {
  const engine = engineOf(application);
  return engine === undefined
    ? new LifecycleLedger(application).importsOf(instancePath)
    : engine.importsOf(instancePath);
}

/**
 * The values one instance of a snapshot exports (whatever its state), by qualified name. For a
 * snapshot `react` returned, the engine that produced it answers without building the snapshot's
 * whole `exports` record.
 */
export function instanceExports(
  application: ApplicationSnapshot,
  instancePath: string,
): Readonly<Record<string, string>> {
  return engineOf(application)?.exportsOf(instancePath) ?? application.exports[instancePath] ?? {};
}
