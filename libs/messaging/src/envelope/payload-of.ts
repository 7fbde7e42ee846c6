import type { z } from 'zod';
import { MessagingError } from '../errors';
import type { MessageTypeDefinition } from '../policy/message-type-definition';
import type { OpenedEnvelope } from './opened-envelope';

/**
 * Returns an opened envelope's payload typed by its message definition (the opener already
 * validated it against that schema).
 * @throws MessagingError PAYLOAD_TYPE_MISMATCH when the envelope is of another type.
 */
export function payloadOf<TDefinition extends MessageTypeDefinition>(
  opened: OpenedEnvelope,
  definition: TDefinition,
): z.output<TDefinition['schema']> {
  if (opened.type !== definition.type) {
    throw new MessagingError(
      'PAYLOAD_TYPE_MISMATCH',
      `message ${opened.messageId} is ${opened.type}, not ${definition.type}`,
      { messageId: opened.messageId, type: opened.type },
    );
  }
  return opened.payload as z.output<TDefinition['schema']>;
}
