import { CORE_MESSAGE_TYPES, MessageTypeRegistry } from '@flotilla/messaging';
import { LIFECYCLE_MESSAGE_TYPES } from './lifecycle-message-types';

/** Builds the allowlist of every message type the DM and the agents exchange. */
export function createFlotillaRegistry(): MessageTypeRegistry {
  return MessageTypeRegistry.of(...CORE_MESSAGE_TYPES, ...LIFECYCLE_MESSAGE_TYPES);
}
