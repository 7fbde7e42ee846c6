// `npm run bench:scale [-- --agents N --instances M --processes P]`: the real DM (own process,
// fresh PostgreSQL database) and N real agents (P processes, no-op recipes) on the local broker.
// Enrolls and accepts the agents, deploys and starts an application of M instances bound across
// them, and prints the time until all are started, the DM's peak RSS and CPU, messages per second
// and command latency, beside raw amqplib throughput measured in the same run.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureMode } from '../messaging/measure-mode';
import { DeploymentWatch, percentile } from './deployment-watch';
import { ProcSampler } from './proc-sampler';
import {
  AGENT_PROCESSES,
  AGENTS_PER_PROCESS,
  DEFAULT_AGENTS,
  DEFAULT_INSTANCES,
  PHASE_TIMEOUT_MS,
  SAMPLE_INTERVAL_MS,
} from './scale.constants';
import { SCALE_TEMPLATE } from './scale-template';
import { prepare } from './scale-setup';
import { ScaleWorld } from './scale-world';
import { routedMessages } from './routed-messages';

const RESULTS_DIR = join(__dirname, '..', 'results');

/** Aborted by Ctrl-C: the run stops waiting and cleans up (agents, DM, broker, database). */
const interrupted = new AbortController();

/** `work`, or a rejection as soon as the run is interrupted. */
function unlessInterrupted<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      interrupted.signal.addEventListener('abort', () => reject(new Error('interrupted')));
    }),
  ]);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`--${name}: must be a positive integer, got "${value}"`);
  }
  return parsed;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string' },
      instances: { type: 'string' },
      processes: { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
    },
  });
  const agents = positive('agents', values.agents, DEFAULT_AGENTS);
  const instances = positive('instances', values.instances, DEFAULT_INSTANCES);
  const processes = positive(
    'processes',
    values.processes,
    Math.max(AGENT_PROCESSES, Math.ceil(agents / AGENTS_PER_PROCESS)),
  );
  const loadBefore = load();
  console.log(
    `scale benchmark: ${agents} agents in ${processes} processes, ${instances} instances; load average ${loadBefore}`,
  );
  const baseline = await measureMode('raw', '', { verifyWorkers: 0 });
  console.log(`  raw amqplib baseline     ${baseline.endToEnd.toFixed(0).padStart(8)} msg/s`);
  const world = new ScaleWorld(agents);
  let watch: DeploymentWatch | undefined;
  try {
    const setup = await unlessInterrupted(
      prepare(world, instances, processes, values['cpu-prof-dir']),
    );
    const phases = Object.entries(setup).map(
      ([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`,
    );
    console.log(`  set-up: ${phases.join(', ')}`);
    const instancesList = await world.api.call<Array<{ path: string }>>(
      'GET',
      `/applications/${SCALE_TEMPLATE}/instances`,
      200,
    );
    watch = new DeploymentWatch(
      world.api,
      new Set(instancesList.map((entry) => entry.path)),
      'deployed_started',
    );
    await watch.open();
    const overall = new ProcSampler(world.dm.pid, SAMPLE_INTERVAL_MS);
    await overall.start();
    const messagesBefore = await routedMessages(world.broker);
    const startedAt = performance.now();
    await world.api.call('POST', `/applications/${SCALE_TEMPLATE}/actions/start-all`, 202);
    const report = await unlessInterrupted(watch.done(PHASE_TIMEOUT_MS));
    const seconds = (report.reachedAt - startedAt) / 1000;
    const usage = await overall.stop();
    const messages =
      (await routedMessages(world.broker, messagesBefore.total)).total - messagesBefore.total;
    const rate = messages / seconds;
    const p50 = percentile(report.commandLatenciesMs, 0.5);
    const p99 = percentile(report.commandLatenciesMs, 0.99);
    const loadAfter = load();
    console.log(
      `  all ${instancesList.length} instances started in ${seconds.toFixed(1).padStart(8)} s  (goal <= 30 s)`,
    );
    console.log(
      `  DM peak RSS              ${usage.peakRssMiB.toFixed(0).padStart(8)} MiB (goal < 500 MiB)`,
    );
    console.log(
      `  DM CPU                   ${usage.averageCpuCores.toFixed(2).padStart(8)} cores on average, ${usage.peakCpuCores.toFixed(2)} at peak`,
    );
    console.log(
      `  messages routed          ${messages.toString().padStart(8)} (${rate.toFixed(0)} msg/s; ratio to raw ${(rate / baseline.endToEnd).toFixed(3)})`,
    );
    console.log(
      `  commands                 ${report.commandsSent.toString().padStart(8)} sent; latency sent->finished p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
    );
    const agentUsage = await world.agentUsage();
    const agentPeaks = agentUsage.map((usage) => usage.peakRssMiB);
    console.log(
      `  agent processes' RSS     ${Math.max(...agentPeaks)
        .toFixed(0)
        .padStart(
          8,
        )} MiB peak in one, ${agentPeaks.reduce((sum, peak) => sum + peak, 0).toFixed(0)} MiB summed over ${processes}`,
    );
    console.log(`  load average after       ${loadAfter}`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      at: new Date().toISOString(),
      agents,
      instances: instancesList.length,
      agentProcesses: processes,
      loadAverage: { before: loadBefore, after: loadAfter },
      baseline: { rawAmqplibMsgPerSecond: baseline.endToEnd },
      setupSeconds: setup,
      allStartedSeconds: seconds,
      dm: usage,
      agentProcessesUsage: agentUsage,
      messages: { routed: messages, perSecond: rate, ratioToRaw: rate / baseline.endToEnd },
      commands: { sent: report.commandsSent, latencyMs: { p50, p99 } },
    };
    await writeFile(
      join(RESULTS_DIR, `scale-${agents}x${instances}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    watch?.close();
    // A failed clean-up is reported without hiding why the run itself failed.
    await world.stop().catch((error: unknown) => console.error('clean-up failed:', error));
  }
}

process.once('SIGINT', () => interrupted.abort());
process.once('SIGTERM', () => interrupted.abort());
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
