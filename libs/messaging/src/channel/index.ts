export * from './envelope-handler';
export * from './rejection-counter';
export * from './secure-consumer';
export * from './secure-publisher';
