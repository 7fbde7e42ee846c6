// Public API of @flotilla/protocol: the lifecycle messages the DM and the agents exchange.
export * from './protocol.constants';
export * from './protocol.schemas';
export * from './agentless.schemas';
export * from './lifecycle-message-types';
export * from './payload.types';
export * from './flotilla-registry';
