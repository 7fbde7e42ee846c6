import { setTimeout as delay } from 'node:timers/promises';
import type { Options } from 'amqplib';
import {
  ACCESS_REFUSED_REPLY_CODE,
  DEFAULT_PUBLISH_TIMEOUT_MS,
  PERSISTENT_DELIVERY_MODE,
} from './amqp.constants';
import { AmqpError, isTransientAmqpError } from './amqp.errors';
import type { AmqpConnection } from './amqp-connection';
import { NOOP_AMQP_LOGGER, type AmqpLogger } from './amqp-logger';
import { computeBackoffDelay } from './backoff';
import { ConfirmChannelSlot } from './confirm-channel-slot';
import type { PublishRequest } from './publish-request';

/** The options of an `AmqpPublisher`. */
export interface AmqpPublisherOptions {
  /** How long one publish may take, reconnections included (default DEFAULT_PUBLISH_TIMEOUT_MS). */
  readonly publishTimeoutMs?: number;
  /** Set `user_id` to the connection's broker user so that RabbitMQ vouches for the sender (default true). */
  readonly isUserIdSet?: boolean;
  readonly logger?: AmqpLogger;
}

/**
 * A publisher that resolves only once the broker confirmed the message: persistent, mandatory
 * (an unroutable message rejects with AMQP_UNROUTABLE), retried with the same message id across
 * reconnections and nacks until `publishTimeoutMs`, never buffered without bound. A nack is
 * retried because it means "not taken now": a quorum queue nacks while it elects a new leader
 * after a node loss, a full queue (reject-publish) while its consumer catches up (decision 0162).
 */
export class AmqpPublisher {
  private slot: Promise<ConfirmChannelSlot> | undefined;
  private readonly logger: AmqpLogger;
  private readonly timeoutMs: number;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: AmqpPublisherOptions = {},
  ) {
    this.logger = options.logger ?? NOOP_AMQP_LOGGER;
    this.timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  }

  /**
   * Publishes and waits for the broker's confirm.
   * @throws AmqpError AMQP_UNROUTABLE, AMQP_ACCESS_REFUSED, AMQP_BROKER_REFUSED (refused by the
   * broker) or AMQP_PUBLISH_TIMEOUT (no confirm before the deadline; its cause is the last
   * failure, AMQP_PUBLISH_NACKED when the broker kept refusing the message).
   */
  async publish(request: PublishRequest): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      let slot: ConfirmChannelSlot | undefined;
      try {
        slot = await this.currentSlot(deadline - Date.now());
        await this.publishOn(slot, request);
        return;
      } catch (error: unknown) {
        if (isNack(error)) {
          // RabbitMQ 3.10 goes on nacking, on that channel, every publish to a quorum queue whose
          // leader was lost; a new channel reaches the new leader.
          slot?.retire();
        } else if (!isTransientAmqpError(error)) {
          throw error;
        }
        const waitMs = Math.min(computeBackoffDelay(attempt), deadline - Date.now());
        if (waitMs <= 0) {
          throw timeoutError(request, this.timeoutMs, error);
        }
        this.logger.debug('AMQP publish retried', { messageId: request.messageId, attempt });
        await delay(waitMs);
      }
    }
  }

  private async currentSlot(timeoutMs: number): Promise<ConfirmChannelSlot> {
    const model = await this.connection.waitForConnection(Math.max(0, timeoutMs));
    const existing = this.slot === undefined ? undefined : await this.slot.catch(() => undefined);
    if (existing !== undefined && existing.model === model && existing.isUsable) {
      return existing;
    }
    this.slot = ConfirmChannelSlot.open(model, this.logger);
    try {
      return await this.slot;
    } catch (error: unknown) {
      throw new AmqpError('AMQP_CHANNEL_CLOSED', 'could not open a confirm channel', {
        cause: error,
      });
    }
  }

  private async publishOn(slot: ConfirmChannelSlot, request: PublishRequest): Promise<void> {
    await slot.waitForDrain();
    if (!slot.isUsable) {
      throw new AmqpError('AMQP_CHANNEL_CLOSED', 'publisher channel closed', describe(request));
    }
    await new Promise<void>((resolve, reject) => {
      const isWritable = slot.channel.publish(
        request.exchange,
        request.routingKey,
        request.body,
        this.propertiesOf(request),
        (error: unknown) => {
          if (error !== null && error !== undefined) {
            reject(classifyFailure(slot, request, error));
          } else if (slot.takeReturned(request.messageId)) {
            reject(unroutableError(request));
          } else {
            resolve();
          }
        },
      );
      if (!isWritable) {
        slot.markFull();
      }
    });
  }

  private propertiesOf(request: PublishRequest): Options.Publish {
    return {
      persistent: true,
      deliveryMode: PERSISTENT_DELIVERY_MODE,
      mandatory: true,
      messageId: request.messageId,
      type: request.type,
      correlationId: request.correlationId,
      contentType: request.contentType,
      timestamp: Math.floor(Date.now() / 1000),
      expiration:
        request.expirationMs === undefined ? undefined : String(Math.max(0, request.expirationMs)),
      userId: this.options.isUserIdSet === false ? undefined : this.connection.brokerUser,
      headers: { ...request.headers },
    };
  }
}

function isNack(error: unknown): boolean {
  return error instanceof AmqpError && error.code === 'AMQP_PUBLISH_NACKED';
}

function describe(request: PublishRequest): {
  exchange: string;
  routingKey: string;
  messageId: string;
} {
  return {
    exchange: request.exchange,
    routingKey: request.routingKey,
    messageId: request.messageId,
  };
}

function where(request: PublishRequest): string {
  return `message ${request.messageId} to exchange "${request.exchange}" with routing key "${request.routingKey}"`;
}

function unroutableError(request: PublishRequest): AmqpError {
  return new AmqpError(
    'AMQP_UNROUTABLE',
    `${where(request)} is unroutable: no queue is bound to it`,
    describe(request),
  );
}

function timeoutError(request: PublishRequest, timeoutMs: number, cause: unknown): AmqpError {
  return new AmqpError(
    'AMQP_PUBLISH_TIMEOUT',
    `${where(request)} was not confirmed within ${timeoutMs} ms`,
    {
      ...describe(request),
      cause,
    },
  );
}

function classifyFailure(
  slot: ConfirmChannelSlot,
  request: PublishRequest,
  error: unknown,
): AmqpError {
  const context = { ...describe(request), cause: error };
  if (error instanceof Error && error.message === 'message nacked') {
    return new AmqpError(
      'AMQP_PUBLISH_NACKED',
      `${where(request)} was refused (nack) by the broker`,
      context,
    );
  }
  if (slot.closeCode === ACCESS_REFUSED_REPLY_CODE) {
    return new AmqpError(
      'AMQP_ACCESS_REFUSED',
      `${where(request)} was refused: ${slot.closeMessage}`,
      context,
    );
  }
  if (slot.closeCode !== undefined) {
    return new AmqpError(
      'AMQP_BROKER_REFUSED',
      `${where(request)} failed: ${slot.closeMessage}`,
      context,
    );
  }
  return new AmqpError(
    'AMQP_CONNECTION_CLOSED',
    `${where(request)} lost its connection before the confirm`,
    context,
  );
}
