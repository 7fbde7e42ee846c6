export * from './model.types';
export * from './lifecycle';
export * from './imports';
