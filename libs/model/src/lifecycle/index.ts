export * from './lifecycle.constants';
export * from './lifecycle.error';
export * from './lifecycle.types';
export * from './transition-table';
export { isStableState, transition } from './transition';
export { isStepRunning } from './lifecycle-ledger';
export { InstanceTree } from './instance-tree';
export * from './reactor';
export * from './planner';
