import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';

/**
 * The baseline of `bench:latency`: `iterations` round trips of a persistent 512-byte message
 * through the broker with plain amqplib (publish with confirm to an exclusive queue, consume,
 * ack), one at a time; returns each trip's milliseconds, sorted.
 */
export async function rawRoundTrips(url: string, iterations: number): Promise<number[]> {
  // TCP_NODELAY as Flotilla's own connections set it: the baseline measures the broker, not Nagle.
  const model = await amqp.connect(url, { noDelay: true });
  try {
    const channel = await model.createConfirmChannel();
    const { queue } = await channel.assertQueue(`bench-latency-${randomUUID()}`, {
      exclusive: true,
      autoDelete: true,
    });
    const body = Buffer.alloc(512, 0x61);
    let arrived: () => void = () => undefined;
    await channel.consume(queue, (message) => {
      if (message !== null) {
        channel.ack(message);
        arrived();
      }
    });
    const trips: number[] = [];
    for (let iteration = 0; iteration < iterations; iteration += 1) {
      const delivered = new Promise<void>((resolve) => (arrived = resolve));
      const startedAt = performance.now();
      channel.sendToQueue(queue, body, { persistent: true });
      await Promise.all([channel.waitForConfirms(), delivered]);
      trips.push(performance.now() - startedAt);
    }
    return trips.sort((a, b) => a - b);
  } finally {
    await model.close();
  }
}
