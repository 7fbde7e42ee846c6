import { MessagingError } from '../errors';
import {
  MESSAGE_TYPE_PATTERN,
  type MessagePolicy,
  type MessageTypeDefinition,
} from './message-type-definition';

/**
 * Explicit allowlist of message types: only registered types are sealed or opened, and each says
 * which sender kinds may send it (the lesson of Salt's CVE-2020-11651: no dispatch by reflection).
 */
export class MessageTypeRegistry implements MessagePolicy {
  private readonly definitions = new Map<string, MessageTypeDefinition>();

  /** Creates a registry holding the given definitions. */
  static of(...definitions: MessageTypeDefinition[]): MessageTypeRegistry {
    const registry = new MessageTypeRegistry();
    definitions.forEach((definition) => registry.register(definition));
    return registry;
  }

  /**
   * Adds a message type.
   * @throws MessagingError MESSAGE_TYPE_INVALID when the name is malformed, already registered, or
   * when `unknown` senders are allowed without the certificate being carried.
   */
  register(definition: MessageTypeDefinition): this {
    const fail = (reason: string): never => {
      throw new MessagingError(
        'MESSAGE_TYPE_INVALID',
        `message type ${definition.type}: ${reason}`,
        {
          type: definition.type,
        },
      );
    };
    if (!MESSAGE_TYPE_PATTERN.test(definition.type)) {
      fail('name must be dotted lower-case words ending with .v<N>');
    }
    if (this.definitions.has(definition.type)) {
      fail('already registered');
    }
    if (definition.senders.length === 0) {
      fail('senders must name at least one sender kind');
    }
    if (definition.senders.includes('unknown') && !definition.carriesCertificate) {
      fail('a type open to unknown senders must carry the certificate (proof of possession)');
    }
    if (!(definition.maxTtlMs > 0)) {
      fail('maxTtlMs must be positive');
    }
    this.definitions.set(definition.type, Object.freeze({ ...definition }));
    return this;
  }

  /** {@inheritDoc MessagePolicy.definitionOf} */
  definitionOf(type: string): MessageTypeDefinition | undefined {
    return this.definitions.get(type);
  }

  /** Lists the registered type names. */
  types(): string[] {
    return [...this.definitions.keys()];
  }
}
