import * as amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { TEST_AMQP_URL } from './test-broker';

/**
 * A plain amqplib client for assertions and fault injection, independent of the code under test
 * (rascal's amqputils): publish raw bytes, read queues, count messages.
 */
export class RawAmqp {
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  /** Connects as the test administrator. */
  static async open(url: string = TEST_AMQP_URL): Promise<RawAmqp> {
    const model = await amqp.connect(url);
    model.on('error', () => undefined);
    const channel = await model.createConfirmChannel();
    channel.on('error', () => undefined);
    return new RawAmqp(model, channel);
  }

  /** Publishes raw bytes (persistent) and waits for the broker's confirm. */
  async publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: Options.Publish = {},
  ): Promise<void> {
    this.channel.publish(exchange, routingKey, body, { persistent: true, ...options });
    await this.channel.waitForConfirms();
  }

  /** The number of ready messages in a queue. */
  async messageCount(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /**
   * Consumes (and acks) exactly `count` messages from `queue`, waiting at most `timeoutMs`.
   * @throws Error naming the queue and how many arrived when fewer arrive in time.
   */
  async take(queue: string, count: number, timeoutMs = 10_000): Promise<ConsumeMessage[]> {
    const channel = await this.model.createChannel();
    channel.on('error', () => undefined);
    const received: ConsumeMessage[] = [];
    let isDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (isDone = resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      await channel.prefetch(count);
      await channel.consume(queue, (message) => {
        if (message !== null && received.length < count) {
          received.push(message);
          channel.ack(message);
          if (received.length === count) {
            isDone();
          }
        }
      });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new Error(
              `queue ${queue}: ${received.length} of ${count} messages within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      });
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
      await channel.close().catch(() => undefined);
    }
    return received;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }
}
