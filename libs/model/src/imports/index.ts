export * from './imports.types';
export * from './imports.error';
export * from './exported-values';
export * from './import-resolver';
export * from './import-diff';
export * from './ancestor-exports';
export * from './imports.constants';
export * from './random-ports';
