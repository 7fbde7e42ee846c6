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
import { inParallel } from './dm-api';
import { DeploymentWatch, percentile } from './deployment-watch';
import { ProcSampler } from './proc-sampler';
import {
  AGENT_PROCESSES,
  API_CONCURRENCY,
  DEFAULT_AGENTS,
  DEFAULT_INSTANCES,
  PHASE_TIMEOUT_MS,
  SAMPLE_INTERVAL_MS,
} from './scale.constants';
import { rootPaths, SCALE_TEMPLATE, scaleTemplateArchive } from './scale-template';
import { ScaleWorld } from './scale-world';
import { routedMessages } from './routed-messages';

const RESULTS_DIR = join(__dirname, '..', 'results');

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

async function prepare(world: ScaleWorld, instances: number, processes: number): Promise<number> {
  const started = performance.now();
  await world.startDm();
  const archive = await scaleTemplateArchive(
    join(world.directory, 'template'),
    world.agentNames.length,
    instances,
  );
  await world.api.call('POST', '/templates', 201, archive, 'application/gzip');
  await world.api.call('POST', '/applications', 201, {
    name: SCALE_TEMPLATE,
    template: SCALE_TEMPLATE,
  });
  const running = world.startAgents(processes);
  await world.acceptAll();
  await running;
  const roots = rootPaths(world.agentNames.length);
  await inParallel(
    roots.map((path, index) => ({ path, agent: world.agentNames[index] ?? '' })),
    API_CONCURRENCY,
    (binding) =>
      world.api.call('POST', `/applications/${SCALE_TEMPLATE}/instances/bind-agent`, 204, binding),
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string' },
      instances: { type: 'string' },
      processes: { type: 'string' },
    },
  });
  const agents = positive('agents', values.agents, DEFAULT_AGENTS);
  const instances = positive('instances', values.instances, DEFAULT_INSTANCES);
  const processes = positive('processes', values.processes, AGENT_PROCESSES);
  const loadBefore = load();
  console.log(
    `scale benchmark: ${agents} agents in ${processes} processes, ${instances} instances; load average ${loadBefore}`,
  );
  const baseline = await measureMode('raw', '', { verifyWorkers: 0 });
  console.log(`  raw amqplib baseline     ${baseline.endToEnd.toFixed(0).padStart(8)} msg/s`);
  const world = new ScaleWorld(agents);
  try {
    const setupSeconds = await prepare(world, instances, processes);
    console.log(`  enrolled, accepted, bound ${agents} agents in ${setupSeconds.toFixed(1)} s`);
    const instancesList = await world.api.call<Array<{ path: string }>>(
      'GET',
      `/applications/${SCALE_TEMPLATE}/instances`,
      200,
    );
    const watch = new DeploymentWatch(
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
    const report = await watch.done(PHASE_TIMEOUT_MS);
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
    console.log(`  load average after       ${loadAfter}`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      at: new Date().toISOString(),
      agents,
      instances: instancesList.length,
      agentProcesses: processes,
      loadAverage: { before: loadBefore, after: loadAfter },
      baseline: { rawAmqplibMsgPerSecond: baseline.endToEnd },
      setupSeconds,
      allStartedSeconds: seconds,
      dm: usage,
      messages: { routed: messages, perSecond: rate, ratioToRaw: rate / baseline.endToEnd },
      commands: { sent: report.commandsSent, latencyMs: { p50, p99 } },
    };
    await writeFile(
      join(RESULTS_DIR, `scale-${agents}x${instances}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    watch.close();
  } finally {
    await world.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
