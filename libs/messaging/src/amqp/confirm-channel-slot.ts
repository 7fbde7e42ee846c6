import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { AmqpLogger } from './amqp-logger';

/** The error a broker closes a channel with (amqplib sets `code` to the AMQP reply code). */
interface ChannelCloseError extends Error {
  readonly code?: number;
}

/**
 * One confirm channel on one connection, with what the publisher needs to know about it: the
 * message ids the broker returned as unroutable, and the error the broker closed it with.
 */
export class ConfirmChannelSlot {
  private readonly returnedIds = new Set<string>();
  private closeError: ChannelCloseError | undefined;
  private isOpen = true;
  private drained: Promise<void> = Promise.resolve();

  private constructor(
    readonly model: ChannelModel,
    readonly channel: ConfirmChannel,
  ) {}

  /** Opens a confirm channel on `model` and watches its returns, errors and closing. */
  static async open(model: ChannelModel, logger: AmqpLogger): Promise<ConfirmChannelSlot> {
    const channel = await model.createConfirmChannel();
    const slot = new ConfirmChannelSlot(model, channel);
    channel.on('return', (message: ConsumeMessage) => {
      const id = message.properties.messageId as string | undefined;
      if (id !== undefined) {
        slot.returnedIds.add(id);
      }
    });
    channel.on('error', (error: ChannelCloseError) => {
      slot.closeError = error;
      logger.warn('AMQP publisher channel error', { error: error.message, code: error.code });
    });
    channel.on('close', () => {
      slot.isOpen = false;
    });
    return slot;
  }

  /** Whether the channel can still be used. */
  get isUsable(): boolean {
    return this.isOpen;
  }

  /** The reply code the broker closed the channel with, if it did. */
  get closeCode(): number | undefined {
    return this.closeError?.code;
  }

  /** The message the broker closed the channel with, if it did. */
  get closeMessage(): string | undefined {
    return this.closeError?.message;
  }

  /**
   * Stops using this channel and closes it (publishes still waiting on it fail as closed and are
   * retried on a new channel by the publisher).
   */
  retire(): void {
    this.isOpen = false;
    this.channel.close().catch(() => undefined); // already closed by the broker or the connection: fine
  }

  /** Whether the broker returned `messageId` as unroutable (forgets it once asked). */
  takeReturned(messageId: string): boolean {
    return this.returnedIds.delete(messageId);
  }

  /** Resolves when the socket accepts more writes (amqplib's `drain`). */
  waitForDrain(): Promise<void> {
    return this.drained;
  }

  /** Marks the socket as full until the channel emits `drain`. */
  markFull(): void {
    // A channel that closes never drains: resolve on close too, the publish then fails as closed.
    this.drained = new Promise((resolve) => {
      const done = (): void => {
        this.channel.off('drain', done);
        this.channel.off('close', done);
        resolve();
      };
      this.channel.once('drain', done);
      this.channel.once('close', done);
    });
  }
}
