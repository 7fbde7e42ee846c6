import type { ImportResolution, InstanceImports } from '../imports';
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
 * `resolveSnapshotImports` gives them but without resolving every other instance's.
 * @throws ImportsError `UNKNOWN_COMPONENT` when an instance's component is not in the graph.
 */
export function resolveInstanceImports(
  application: ApplicationSnapshot,
  instancePath: string,
): InstanceImports | undefined {
  return new LifecycleLedger(application).importsOf(instancePath);
}
