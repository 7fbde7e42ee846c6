import {
  AmqpConsumer,
  DeadLetterError,
  NOOP_AMQP_LOGGER,
  ORIGINAL_USER_ID_HEADER,
  type AmqpConnection,
  type AmqpDelivery,
  type AmqpLogger,
  type AmqpPublisher,
  type WorkQueueRoute,
} from '../amqp';
import type { EnvelopeOpener } from '../envelope/envelope-opener';
import type { OpenedEnvelope } from '../envelope/opened-envelope';
import { EnvelopeRejectedError } from '../envelope/envelope-rejected.error';
import type { EnvelopeHandler } from './envelope-handler';
import { RejectionCounter } from './rejection-counter';

/** The reason code of a verified message whose type has no registered handler here. */
export const NO_HANDLER_REASON = 'NO_HANDLER';

/** The count key of broker redeliveries of a message already handled (acked quietly, not an attack). */
export const DUPLICATE_REDELIVERY = 'DUPLICATE_REDELIVERY';

/** What a `SecureConsumer` needs: the transport, the queue route and the opener of its receiver. */
export interface SecureConsumerOptions {
  readonly connection: AmqpConnection;
  /** Publishes the confirmed retry and dead-letter copies. */
  readonly publisher: AmqpPublisher;
  readonly route: WorkQueueRoute;
  readonly opener: EnvelopeOpener;
  readonly prefetch?: number;
  readonly logger?: AmqpLogger;
}

/**
 * A consumer of signed envelopes: each delivery is opened (verified before any parsing; a refused
 * one is dead-lettered at once with its reason, warn-logged and counted in `rejections`), dispatched
 * by type through an explicit handler registry (unregistered types are dead-lettered), remembered
 * in the replay cache only after its handler succeeded, then acked. Handler errors are retried
 * with backoff, then dead-lettered. Deliveries with the same message id never run concurrently.
 */
export class SecureConsumer {
  /** Refused deliveries by reason code. */
  readonly rejections = new RejectionCounter();
  private readonly handlers = new Map<string, EnvelopeHandler>();
  private readonly consumer: AmqpConsumer;
  private readonly logger: AmqpLogger;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly options: SecureConsumerOptions) {
    this.logger = options.logger ?? NOOP_AMQP_LOGGER;
    this.consumer = new AmqpConsumer(options.connection, options.publisher, {
      route: options.route,
      prefetch: options.prefetch,
      logger: this.logger,
    });
  }

  /** Registers the handler of one message type (one handler per type). */
  handle(type: string, handler: EnvelopeHandler): this {
    if (this.handlers.has(type)) {
      throw new Error(`a handler for ${type} is already registered on ${this.options.route.queue}`);
    }
    this.handlers.set(type, handler);
    return this;
  }

  /** Starts consuming the queue (and again after every reconnection). */
  async start(): Promise<void> {
    await this.consumer.start((delivery) => this.serialized(delivery));
  }

  /** Stops consuming and waits for the handlers in flight. */
  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  /** Runs deliveries of one message id one after the other: a redelivery waits for the first try. */
  private async serialized(delivery: AmqpDelivery): Promise<void> {
    const key = (delivery.properties.messageId as string | undefined) ?? '';
    const previous = this.inFlight.get(key);
    if (previous !== undefined) {
      await previous.catch(() => undefined);
    }
    const current = this.process(delivery);
    this.inFlight.set(key, current);
    try {
      await current;
    } finally {
      if (this.inFlight.get(key) === current) {
        this.inFlight.delete(key);
      }
    }
  }

  private async process(delivery: AmqpDelivery): Promise<void> {
    const opened = await this.open(delivery);
    if (opened === undefined) {
      return;
    }
    const handler = this.handlers.get(opened.type);
    if (handler === undefined) {
      this.refuse(
        delivery,
        NO_HANDLER_REASON,
        `no handler for ${opened.type} on ${delivery.queue}`,
      );
    }
    await handler(opened, delivery);
    await this.options.opener.markHandled(opened);
  }

  private async open(delivery: AmqpDelivery): Promise<OpenedEnvelope | undefined> {
    try {
      return await this.options.opener.open(delivery.body, {
        brokerUserId: brokerUserOf(delivery),
      });
    } catch (error: unknown) {
      if (!(error instanceof EnvelopeRejectedError)) {
        throw error;
      }
      if (error.code === 'REPLAYED' && delivery.isRedelivered) {
        // The broker redelivered a message whose handling succeeded but whose ack was lost.
        this.rejections.increment(DUPLICATE_REDELIVERY);
        this.logger.debug('AMQP redelivery of a handled message acked', {
          messageId: error.messageId,
        });
        return undefined;
      }
      return this.refuse(delivery, error.code, error.message, error);
    }
  }

  private refuse(delivery: AmqpDelivery, code: string, reason: string, cause?: unknown): never {
    this.rejections.increment(code);
    const messageId = delivery.properties.messageId as string | undefined;
    this.logger.warn('envelope refused', { queue: delivery.queue, messageId, code, reason });
    throw new DeadLetterError(code, reason, { messageId, queue: delivery.queue, cause });
  }
}

/**
 * The broker-validated publisher of a delivery: `user_id` itself, or on a retried copy (republished
 * by this queue's own consumer) the original `user_id` the consumer kept in a header.
 */
function brokerUserOf(delivery: AmqpDelivery): string | undefined {
  const original = delivery.properties.headers?.[ORIGINAL_USER_ID_HEADER] as unknown;
  if (delivery.retryCount > 0 && typeof original === 'string') {
    return original;
  }
  return delivery.properties.userId as string | undefined;
}
