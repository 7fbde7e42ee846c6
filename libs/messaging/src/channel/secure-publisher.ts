import type { AmqpPublisher } from '../amqp';
import { DEFAULT_CLOCK_SKEW_MS } from '../messaging.constants';
import type { EnvelopeSealer, SealInput, SealedEnvelope } from '../envelope/envelope-sealer';

/** Where a sealed envelope goes. */
export interface EnvelopeDestination {
  readonly exchange: string;
  readonly routingKey: string;
}

/**
 * A publisher of signed envelopes: it seals (schema check, sign the exact bytes), mirrors the
 * message id, type and correlation id in the AMQP properties, lets the broker drop the message once
 * it can no longer be accepted (per-message TTL), and resolves once the broker confirmed it.
 */
export class SecurePublisher {
  constructor(
    private readonly sealer: EnvelopeSealer,
    private readonly publisher: AmqpPublisher,
  ) {}

  /**
   * Seals and publishes one message; returns the sealed envelope (its id is the AMQP message id).
   * @throws MessagingError SEAL_INVALID from the sealer, or AmqpError from the transport.
   */
  async send(
    destination: EnvelopeDestination,
    input: SealInput,
    /** Unsigned AMQP headers (transport hints only: receivers trust nothing in them unverified). */
    headers?: Readonly<Record<string, unknown>>,
  ): Promise<SealedEnvelope> {
    const sealed = this.sealer.seal(input);
    await this.publisher.publish({
      exchange: destination.exchange,
      routingKey: destination.routingKey,
      body: sealed.body,
      messageId: sealed.messageId,
      type: sealed.type,
      correlationId: input.correlationId,
      contentType: 'application/json',
      expirationMs: sealed.expiresAt - sealed.issuedAt + DEFAULT_CLOCK_SKEW_MS,
      ...(headers === undefined ? {} : { headers }),
    });
    return sealed;
  }
}
