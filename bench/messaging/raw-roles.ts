import * as amqp from 'amqplib';
import {
  MESSAGE_COUNT,
  PAYLOAD_BYTES,
  PREFETCH,
  PUBLISH_WINDOW,
  type BenchJob,
} from './bench.constants';

/** Publishes MESSAGE_COUNT persistent 512-byte messages with plain amqplib, confirms awaited per window. */
export async function publishRaw(
  job: BenchJob,
  waitForStart: () => Promise<void>,
): Promise<number> {
  const model = await amqp.connect(job.url, { noDelay: true });
  const channel = await model.createConfirmChannel();
  const body = Buffer.alloc(PAYLOAD_BYTES, 0x61);
  await waitForStart();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < MESSAGE_COUNT) {
      const sequence = next++;
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          job.exchange,
          job.routingKey,
          body,
          { persistent: true, messageId: String(sequence) },
          (error) => (error ? reject(error as Error) : resolve()),
        );
      });
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane));
  await model.close();
  return MESSAGE_COUNT;
}

/** Consumes with manual acks until MESSAGE_COUNT messages were acked. */
export async function consumeRaw(job: BenchJob, onReady: () => void): Promise<number> {
  const model = await amqp.connect(job.url, { noDelay: true });
  const channel = await model.createChannel();
  await channel.prefetch(PREFETCH);
  let count = 0;
  await new Promise<void>((resolve) => {
    void channel.consume(job.queue, (message) => {
      if (message !== null) {
        channel.ack(message);
        count += 1;
        if (count === MESSAGE_COUNT) {
          resolve();
        }
      }
    });
    onReady();
  });
  await model.close();
  return count;
}
