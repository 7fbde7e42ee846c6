// `npm run bench:messaging`: raw amqplib vs Flotilla envelopes on the same broker, in one run, with
// the publisher and the consumer in separate processes. Prints msgs/s for each and the ratio.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  FileTrustStore,
  declareTopologyOnConnect,
  loadOrCreateIdentity,
} from '@flotilla/messaging';
import { BrokerNamespace, TEST_AMQP_URL } from '../../libs/messaging/testing';
import {
  BENCH_AGENT,
  BENCH_BROKER_USER,
  MESSAGE_COUNT,
  PAYLOAD_BYTES,
  type BenchJob,
} from './bench.constants';
import { ChildLink } from './child-link';

const RESULTS_DIR = join(__dirname, '..', 'results');

async function prepareIdentities(dataDir: string): Promise<void> {
  await loadOrCreateIdentity({ dataDir: join(dataDir, 'dm'), name: 'dm' });
  const agent = await loadOrCreateIdentity({ dataDir: join(dataDir, 'agent'), name: BENCH_AGENT });
  await new FileTrustStore(join(dataDir, 'trust.json')).upsert({
    thumbprint: agent.thumbprint,
    role: `agent:${BENCH_AGENT}`,
    state: 'trusted',
    certificatePem: agent.certificatePem,
    encryptionPublicKey: agent.encryptionPublicKeyText,
    brokerUser: BENCH_BROKER_USER,
  });
}

/** End-to-end and publisher-side rates of one mode, in messages per second. */
interface Rates {
  readonly endToEnd: number;
  readonly published: number;
}

async function measure(mode: BenchJob['mode'], dataDir: string): Promise<Rates> {
  const ns = new BrokerNamespace();
  const children: ChildLink[] = [];
  try {
    const setup = ns.connection();
    await declareTopologyOnConnect(setup, ns.id, ns.topology.dmTopology());
    await setup.start();
    const base = {
      mode,
      url: TEST_AMQP_URL,
      namespace: ns.id,
      exchange: ns.topology.dmExchange,
      routingKey: ns.topology.agentToDmRoutingKey(BENCH_AGENT, 'report'),
      queue: ns.topology.dmInboxQueue,
      dataDir,
    };
    const consumer = new ChildLink({ ...base, role: 'consumer' });
    children.push(consumer);
    await consumer.waitFor('ready');
    const publisher = new ChildLink({ ...base, role: 'publisher' });
    children.push(publisher);
    await publisher.waitFor('ready');
    const startedAt = performance.now();
    publisher.start();
    const secondsUntil = async (child: ChildLink): Promise<number> => {
      await child.waitFor('done');
      return (performance.now() - startedAt) / 1000;
    };
    const [consumed, published] = await Promise.all([
      secondsUntil(consumer),
      secondsUntil(publisher),
    ]);
    return { endToEnd: MESSAGE_COUNT / consumed, published: MESSAGE_COUNT / published };
  } finally {
    children.forEach((child) => child.stop());
    await ns.nuke();
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-bench-'));
  try {
    await prepareIdentities(dataDir);
    console.log(
      `messaging benchmark: ${MESSAGE_COUNT} messages, ${PAYLOAD_BYTES}-byte payload, persistent, confirms, manual acks; envelopes: sign, publish, confirm, consume, verify, ack`,
    );
    const raw = await measure('raw', dataDir);
    print('raw amqplib', raw);
    const envelope = await measure('envelope', dataDir);
    print('Flotilla envelopes', envelope);
    const ratio = envelope.endToEnd / raw.endToEnd;
    console.log(`  ratio envelope/raw   ${ratio.toFixed(2).padStart(8)}  (goal >= 0.80)`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      at: new Date().toISOString(),
      messages: MESSAGE_COUNT,
      payloadBytes: PAYLOAD_BYTES,
      raw,
      envelope,
      ratio,
    };
    await writeFile(join(RESULTS_DIR, 'messaging.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function print(label: string, rates: Rates): void {
  const endToEnd = rates.endToEnd.toFixed(0).padStart(8);
  const published = rates.published.toFixed(0).padStart(8);
  console.log(
    `  ${label.padEnd(20)} ${endToEnd} msg/s end to end (publisher alone: ${published} msg/s)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
