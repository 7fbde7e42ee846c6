import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import {
  DEFAULT_PREFETCH,
  ORIGINAL_USER_ID_HEADER,
  REASON_CODE_HEADER,
  REASON_HEADER,
  RETRY_COUNT_HEADER,
  SOURCE_QUEUE_HEADER,
} from './amqp.constants';
import type { AmqpConnection } from './amqp-connection';
import type { AmqpDelivery, DeliveryHandler } from './amqp-delivery';
import { NOOP_AMQP_LOGGER, type AmqpLogger } from './amqp-logger';
import type { AmqpPublisher } from './amqp-publisher';
import { computeBackoffDelay } from './backoff';
import { DeadLetterError } from './dead-letter.error';
import type { WorkQueueRoute } from './topology.types';

/** The options of an `AmqpConsumer`. */
export interface AmqpConsumerOptions {
  /** The work queue to consume and where its retries and dead letters go. */
  readonly route: WorkQueueRoute;
  /** How many unacknowledged messages the broker hands over at once (default DEFAULT_PREFETCH). */
  readonly prefetch?: number;
  readonly logger?: AmqpLogger;
}

/** What became of one delivery. */
type Outcome =
  | { readonly kind: 'handled' }
  | { readonly kind: 'retry'; readonly level: number; readonly reason: string }
  | { readonly kind: 'dead'; readonly code: string; readonly reason: string };

/**
 * A consumer of one durable work queue with manual acks: a message is acked only after its handler
 * resolved, or after a confirmed copy went to the next retry queue (handler error, with backoff by
 * TTL queues, `x-flotilla-retry-count` header) or to the dead-letter queue (`DeadLetterError`, or
 * retries exhausted; reason in `x-flotilla-reason`). It re-consumes after every reconnection.
 */
export class AmqpConsumer {
  private readonly logger: AmqpLogger;
  private readonly inFlight = new Set<Promise<void>>();
  private removeHook: (() => void) | undefined;
  private current: { channel: Channel; consumerTag: string } | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: AmqpPublisher,
    private readonly options: AmqpConsumerOptions,
  ) {
    this.logger = options.logger ?? NOOP_AMQP_LOGGER;
  }

  /** Starts consuming (now if connected, and after every reconnection). */
  async start(handler: DeliveryHandler): Promise<void> {
    this.removeHook = await this.connection.addSetupHook(
      `consumer:${this.options.route.queue}`,
      (model) => this.consumeOn(model, handler),
    );
  }

  /** Stops consuming, waits for the handlers in flight, and closes the channel. */
  async stop(): Promise<void> {
    this.removeHook?.();
    this.removeHook = undefined;
    const current = this.current;
    this.current = undefined;
    await current?.channel.cancel(current.consumerTag).catch(() => undefined);
    await Promise.all(this.inFlight);
    await current?.channel.close().catch(() => undefined);
  }

  /** Opens a channel on `model` and consumes; a channel lost while connected is consumed again. */
  private async consumeOn(model: ChannelModel, handler: DeliveryHandler): Promise<void> {
    const queue = this.options.route.queue;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn('AMQP consumer channel error', { queue, error: error.message }),
    );
    channel.on('close', () => {
      if (this.current?.channel === channel) {
        this.current = undefined;
        this.resumeLater(model, handler, 1);
      }
    });
    await channel.prefetch(this.options.prefetch ?? DEFAULT_PREFETCH);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (message === null) {
          // The broker cancelled the consumer (queue deleted): start over on a fresh channel.
          this.logger.warn('AMQP consumer cancelled by the broker', { queue });
          void channel.close().catch(() => undefined);
          return;
        }
        this.track(this.process(channel, message, handler));
      },
      { noAck: false },
    );
    this.current = { channel, consumerTag };
  }

  /** Consumes again after a backoff, unless stopped or the connection changed (its hook re-consumes). */
  private resumeLater(model: ChannelModel, handler: DeliveryHandler, attempt: number): void {
    setTimeout(() => {
      if (this.removeHook === undefined || this.connection.currentModel !== model) {
        return;
      }
      this.consumeOn(model, handler).catch((error: unknown) => {
        this.logger.warn('AMQP consumer could not resume', {
          queue: this.options.route.queue,
          attempt,
          error: String(error),
        });
        this.resumeLater(model, handler, attempt + 1);
      });
    }, computeBackoffDelay(attempt));
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process(
    channel: Channel,
    message: ConsumeMessage,
    handler: DeliveryHandler,
  ): Promise<void> {
    const delivery = this.toDelivery(message);
    const outcome = await this.runHandler(delivery, handler);
    try {
      await this.forward(message, delivery, outcome);
      settleQuietly(() => channel.ack(message));
    } catch (error: unknown) {
      // The copy was not confirmed (or the channel is gone): leave the message to the broker, which
      // redelivers it; handlers are idempotent by message id.
      this.logger.warn('AMQP delivery not settled; it will be redelivered', {
        queue: delivery.queue,
        messageId: message.properties.messageId,
        error: String(error),
      });
      settleQuietly(() => channel.nack(message, false, true));
    }
  }

  private async runHandler(delivery: AmqpDelivery, handler: DeliveryHandler): Promise<Outcome> {
    try {
      await handler(delivery);
      return { kind: 'handled' };
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof DeadLetterError) {
        return { kind: 'dead', code: error.reasonCode, reason };
      }
      if (delivery.retryCount < this.options.route.retryRoutingKeys.length) {
        return { kind: 'retry', level: delivery.retryCount, reason };
      }
      const attempts = delivery.retryCount + 1;
      return {
        kind: 'dead',
        code: 'RETRIES_EXHAUSTED',
        reason: `handler failed ${attempts} times: ${reason}`,
      };
    }
  }

  private async forward(
    message: ConsumeMessage,
    delivery: AmqpDelivery,
    outcome: Outcome,
  ): Promise<void> {
    const route = this.options.route;
    const context = { queue: route.queue, messageId: message.properties.messageId as unknown };
    switch (outcome.kind) {
      case 'handled':
        return;
      case 'retry':
        this.logger.info('AMQP delivery retried', {
          ...context,
          level: outcome.level + 1,
          reason: outcome.reason,
        });
        return this.republish(
          message,
          route.retryExchange,
          route.retryRoutingKeys[outcome.level] ?? '',
          {
            [RETRY_COUNT_HEADER]: delivery.retryCount + 1,
            [REASON_HEADER]: outcome.reason,
          },
        );
      case 'dead':
        this.logger.warn('AMQP delivery dead-lettered', {
          ...context,
          code: outcome.code,
          reason: outcome.reason,
        });
        return this.republish(message, route.deadExchange, route.deadRoutingKey, {
          [REASON_HEADER]: outcome.reason,
          [REASON_CODE_HEADER]: outcome.code,
        });
    }
  }

  private async republish(
    message: ConsumeMessage,
    exchange: string,
    routingKey: string,
    extraHeaders: Record<string, unknown>,
  ): Promise<void> {
    const properties = message.properties;
    const headers: Record<string, unknown> = { ...(properties.headers ?? {}) };
    await this.publisher.publish({
      exchange,
      routingKey,
      body: message.content,
      messageId: (properties.messageId as string | undefined) ?? randomUUID(),
      type: properties.type as string | undefined,
      correlationId: properties.correlationId as string | undefined,
      contentType: properties.contentType as string | undefined,
      headers: {
        ...headers,
        [SOURCE_QUEUE_HEADER]: this.options.route.queue,
        ...originalUserHeader(properties.userId ?? headers[ORIGINAL_USER_ID_HEADER]),
        ...extraHeaders,
      },
    });
  }

  private toDelivery(message: ConsumeMessage): AmqpDelivery {
    const retryCount = Number(message.properties.headers?.[RETRY_COUNT_HEADER] ?? 0);
    return {
      queue: this.options.route.queue,
      body: message.content,
      properties: message.properties,
      routingKey: message.fields.routingKey,
      isRedelivered: message.fields.redelivered,
      retryCount: Number.isInteger(retryCount) && retryCount >= 0 ? retryCount : 0,
    };
  }
}

/** The header keeping who published the original, when the broker vouched for it (never `undefined` values). */
function originalUserHeader(userId: unknown): Record<string, string> {
  return typeof userId === 'string' ? { [ORIGINAL_USER_ID_HEADER]: userId } : {};
}

/** Acks or nacks, ignoring a channel that closed meanwhile: the broker then redelivers the message. */
function settleQuietly(settle: () => void): void {
  try {
    settle();
  } catch {
    // The channel is gone with its delivery tags; the broker requeues the message by itself.
  }
}
