export * from './model.types';
