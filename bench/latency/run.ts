// `npm run bench:latency [-- --iterations N]`: the real DM (own process, fresh PostgreSQL database)
// and one real agent with the no-op recipe. Each iteration asks the API to start one instance and
// times the call until `/api/events` shows it deployed_started, then undeploys it (not timed).
// Prints p50/p99 beside the round trip of a raw amqplib message measured in the same run.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TEST_AMQP_URL } from '../../libs/messaging/testing';
import { DeploymentWatch, percentile } from '../scale/deployment-watch';
import { prepare } from '../scale/scale-setup';
import { SCALE_TEMPLATE } from '../scale/scale-template';
import { ScaleWorld } from '../scale/scale-world';
import { rawRoundTrips } from './raw-round-trip';

const RESULTS_DIR = join(__dirname, '..', 'results');
/** Iterations when `--iterations` is not given. */
const DEFAULT_ITERATIONS = 200;
/** The only root (a host: no recipe, started by the DM itself) and its database (a no-op recipe). */
const ROOT = '/vm0';
const INSTANCE = '/vm0/db';
/** Longest wait for one transition. */
const TRANSITION_TIMEOUT_MS = 60_000;

async function transition(world: ScaleWorld, state: string, path = INSTANCE): Promise<number> {
  const watch = new DeploymentWatch(world.api, new Set([path]), state);
  await watch.open();
  try {
    const startedAt = performance.now();
    await world.api.call('POST', `/applications/${SCALE_TEMPLATE}/instances/desired-state`, 202, {
      path,
      state,
    });
    const report = await watch.done(TRANSITION_TIMEOUT_MS);
    return report.reachedAt - startedAt;
  } finally {
    watch.close();
  }
}

function describe(label: string, sorted: readonly number[]): string {
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  return `  ${label.padEnd(34)} p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { iterations: { type: 'string' } } });
  const iterations = Number(values.iterations ?? DEFAULT_ITERATIONS);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`--iterations: must be a positive integer, got "${values.iterations}"`);
  }
  const loadBefore = loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  console.log(`latency benchmark: ${iterations} iterations; load average ${loadBefore}`);
  const raw = await rawRoundTrips(TEST_AMQP_URL, iterations);
  console.log(describe('raw amqplib round trip', raw));
  const world = new ScaleWorld(1);
  try {
    await prepare(world, 2, 1);
    // A child deploys only on a started parent: the root is started once, outside the timings.
    await transition(world, 'deployed_started', ROOT);
    const started: number[] = [];
    for (let iteration = 0; iteration < iterations; iteration += 1) {
      if (isInterrupted) {
        throw new Error(`interrupted after ${iteration} iterations`);
      }
      started.push(await transition(world, 'deployed_started'));
      await transition(world, 'not_deployed');
    }
    started.sort((a, b) => a - b);
    console.log(describe('API call -> deployed_started', started));
    const ratio = percentile(started, 0.5) / percentile(raw, 0.5);
    console.log(
      `  ratio of p50s                      ${ratio.toFixed(1)} (goal: p50 <= 50 ms, p99 <= 200 ms)`,
    );
    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      at: new Date().toISOString(),
      iterations,
      loadAverage: {
        before: loadBefore,
        after: loadavg()
          .map((value) => value.toFixed(2))
          .join(', '),
      },
      baseline: { rawRoundTripMs: { p50: percentile(raw, 0.5), p99: percentile(raw, 0.99) } },
      deployedStartedMs: { p50: percentile(started, 0.5), p99: percentile(started, 0.99) },
      ratioOfP50s: ratio,
    };
    await writeFile(join(RESULTS_DIR, 'latency.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await world.stop();
  }
}

/** Set by Ctrl-C: the loop stops and the run cleans up. */
let isInterrupted = false;
process.once('SIGINT', () => (isInterrupted = true));
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
