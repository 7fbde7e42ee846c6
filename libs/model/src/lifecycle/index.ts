export * from './lifecycle.constants';
export * from './lifecycle.error';
export * from './lifecycle.types';
export * from './transition-table';
export { isStableState, transition } from './transition';
export { isStepRunning } from './lifecycle-ledger';
export { InstanceTree } from './instance-tree';
export * from './reactor';
export { LifecycleEngine, type EngineReaction } from './lifecycle-engine';
export * from './planner';
export {
  instanceExports,
  resolveInstanceImports,
  resolveSnapshotImports,
} from './snapshot-imports';
export { explainWaiting } from './waiting-reason';
