import { join } from 'node:path';
import {
  AmqpConnection,
  AmqpPublisher,
  EnvelopeOpener,
  EnvelopeSealer,
  FileTrustStore,
  FileReplayCache,
  MessageTypeRegistry,
  SecureConsumer,
  SecurePublisher,
  WorkerSignatureVerifier,
  loadOrCreateIdentity,
  type WorkQueueRoute,
} from '@flotilla/messaging';
import {
  BENCH_AGENT,
  BENCH_REPORT_V1,
  MESSAGE_COUNT,
  PAYLOAD_BYTES,
  PREFETCH,
  PUBLISH_WINDOW,
  type BenchJob,
} from './bench.constants';

const registry = MessageTypeRegistry.of(BENCH_REPORT_V1);

/** Seals (signs) and publishes MESSAGE_COUNT envelopes with a 512-byte payload, each confirmed. */
export async function publishEnvelopes(
  job: BenchJob,
  waitForStart: () => Promise<void>,
): Promise<number> {
  const agent = await loadOrCreateIdentity({
    dataDir: join(job.dataDir, 'agent'),
    name: BENCH_AGENT,
  });
  const dm = await loadOrCreateIdentity({ dataDir: join(job.dataDir, 'dm'), name: 'dm' });
  const connection = new AmqpConnection({ url: job.url, name: 'bench-envelope-publisher' });
  await connection.start();
  const sender = new SecurePublisher(
    new EnvelopeSealer(agent, { policy: registry }),
    new AmqpPublisher(connection),
  );
  const data = 'a'.repeat(PAYLOAD_BYTES);
  const destination = { exchange: job.exchange, routingKey: job.routingKey };
  await waitForStart();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < MESSAGE_COUNT) {
      const sequence = next++;
      await sender.send(destination, {
        type: BENCH_REPORT_V1.type,
        recipient: dm.thumbprint,
        payload: { sequence, data },
      });
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane));
  await connection.close();
  return MESSAGE_COUNT;
}

/** Consumes through SecureConsumer (verify, dispatch, remember in a file replay cache, ack) until MESSAGE_COUNT were handled. */
export async function consumeEnvelopes(
  job: BenchJob,
  route: WorkQueueRoute,
  onReady: () => void,
): Promise<number> {
  const dm = await loadOrCreateIdentity({ dataDir: join(job.dataDir, 'dm'), name: 'dm' });
  const trustStore = new FileTrustStore(join(job.dataDir, 'trust.json'));
  // A persistent replay cache, as receivers run in production (the agent uses this one).
  const replayCache = new FileReplayCache({
    path: join(job.dataDir, `replay-${job.namespace}.log`),
  });
  const verifier =
    job.verifyWorkers > 0 ? new WorkerSignatureVerifier({ workers: job.verifyWorkers }) : undefined;
  const opener = new EnvelopeOpener(dm, trustStore, replayCache, registry, {
    ...(verifier === undefined ? {} : { verifier }),
  });
  const connection = new AmqpConnection({ url: job.url, name: 'bench-envelope-consumer' });
  await connection.start();
  const consumer = new SecureConsumer({
    connection,
    publisher: new AmqpPublisher(connection),
    route,
    opener,
    prefetch: PREFETCH,
  });
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    consumer.handle(BENCH_REPORT_V1.type, () => {
      count += 1;
      if (count === MESSAGE_COUNT) {
        resolve();
      }
    });
    consumer.start().then(onReady, reject);
  });
  await consumer.stop();
  await replayCache.close();
  await verifier?.close();
  await connection.close();
  if (consumer.rejections.total > 0) {
    throw new Error(`envelopes refused: ${JSON.stringify(consumer.rejections.snapshot())}`);
  }
  return count;
}
