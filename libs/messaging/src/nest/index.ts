export * from './flotilla-rpc.context';
export * from './flotilla-transport.strategy';
