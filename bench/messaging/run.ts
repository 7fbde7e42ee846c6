// `npm run bench:messaging [-- --rounds N --cpu-prof-dir DIR --verify-workers N]`: raw amqplib vs Flotilla
// envelopes on the same broker, in one run, with the publisher and the consumer in separate
// processes. Both modes run in alternating rounds; it prints every round, the median msg/s of each
// mode and their ratio, and the load average before and after (the machine is shared).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FileTrustStore, loadOrCreateIdentity } from '@flotilla/messaging';
import { BENCH_AGENT, BENCH_BROKER_USER, MESSAGE_COUNT, PAYLOAD_BYTES } from './bench.constants';
import { measureMode, type Rates } from './measure-mode';

const RESULTS_DIR = join(__dirname, '..', 'results');

/** Rounds per mode when `--rounds` is not given (odd, so that the median is one round). */
const DEFAULT_ROUNDS = 3;

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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function describeLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

function print(label: string, rates: Rates): void {
  const endToEnd = rates.endToEnd.toFixed(0).padStart(8);
  const published = rates.published.toFixed(0).padStart(8);
  console.log(
    `  ${label.padEnd(24)} ${endToEnd} msg/s end to end (publisher alone: ${published} msg/s)`,
  );
}

async function runRounds(
  rounds: number,
  dataDir: string,
  options: { profileDir?: string; verifyWorkers: number },
): Promise<{ raw: Rates[]; envelope: Rates[] }> {
  const raw: Rates[] = [];
  const envelope: Rates[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Alternate which mode goes first, so that a drift in the machine's load hits both alike.
    const order = round % 2 === 1 ? (['raw', 'envelope'] as const) : (['envelope', 'raw'] as const);
    for (const mode of order) {
      const rates = await measureMode(mode, dataDir, options);
      (mode === 'raw' ? raw : envelope).push(rates);
      print(`round ${round} ${mode === 'raw' ? 'raw amqplib' : 'envelopes'}`, rates);
    }
  }
  return { raw, envelope };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      'verify-workers': { type: 'string' },
    },
  });
  const verifyWorkers = Number(values['verify-workers'] ?? 0);
  if (!Number.isInteger(verifyWorkers) || verifyWorkers < 0) {
    throw new Error(`--verify-workers: must be 0 or more, got "${values['verify-workers']}"`);
  }
  const rounds = Number(values.rounds ?? DEFAULT_ROUNDS);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds: must be a positive integer, got "${values.rounds}"`);
  }
  const profileDir = values['cpu-prof-dir'];
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-bench-'));
  try {
    await prepareIdentities(dataDir);
    const loadBefore = describeLoad();
    console.log(
      `messaging benchmark: ${MESSAGE_COUNT} messages, ${PAYLOAD_BYTES}-byte payload, persistent, confirms, manual acks; envelopes: sign, publish, confirm, consume, verify, ack; ${rounds} alternating rounds; ${verifyWorkers} verify workers; load average ${loadBefore}`,
    );
    const measured = await runRounds(rounds, dataDir, {
      verifyWorkers,
      ...(profileDir === undefined ? {} : { profileDir }),
    });
    const raw = median(measured.raw.map((rates) => rates.endToEnd));
    const envelope = median(measured.envelope.map((rates) => rates.endToEnd));
    const ratio = envelope / raw;
    const loadAfter = describeLoad();
    console.log(`  median raw amqplib       ${raw.toFixed(0).padStart(8)} msg/s`);
    console.log(`  median envelopes         ${envelope.toFixed(0).padStart(8)} msg/s`);
    console.log(`  ratio envelope/raw       ${ratio.toFixed(2).padStart(8)}  (goal >= 0.80)`);
    console.log(`  load average after       ${loadAfter}`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      at: new Date().toISOString(),
      messages: MESSAGE_COUNT,
      payloadBytes: PAYLOAD_BYTES,
      verifyWorkers,
      loadAverage: { before: loadBefore, after: loadAfter },
      rounds: measured,
      median: { raw, envelope },
      ratio,
    };
    await writeFile(join(RESULTS_DIR, 'messaging.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
