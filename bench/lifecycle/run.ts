/**
 * Times the lifecycle engine on synthetic applications of growing size: the three-tier chain of the
 * first measurements (small sizes), then the shape of `bench:scale` at 5,000 instances on 1,000
 * roots and 20,000 instances on 10,000 roots. Per size: the time to plan "deploy and start all",
 * and the time one `LifecycleEngine` takes to react to each step result while it deploys and
 * starts everything (mean and p99), and what one `react(snapshot, ...)` call costs. Run:
 * `npm run bench:lifecycle [-- --max-instances 5000]` (writes bench/results/lifecycle.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  LifecycleEngine,
  planRequest,
  react,
  type ApplicationSnapshot,
  type LifecycleRequest,
  type LifecycleStep,
} from '@flotilla/model';
import { chainApplication, scaleApplication } from './bench-applications';
import { fastestMs, statsOf, timed, type DurationStats } from './timing';

const RESULTS_FILE = join(__dirname, '..', 'results', 'lifecycle.json');

/** The applications timed, smallest first. */
const SIZES: readonly {
  readonly label: string;
  readonly instances: number;
  readonly build: () => ApplicationSnapshot;
}[] = [
  { label: 'chain 30 hosts', instances: 70, build: () => chainApplication(30) },
  { label: 'chain 90 hosts', instances: 210, build: () => chainApplication(90) },
  { label: 'chain 150 hosts', instances: 350, build: () => chainApplication(150) },
  { label: 'scale 200 roots', instances: 1_000, build: () => scaleApplication(200, 1_000) },
  { label: 'scale 1,000 roots', instances: 5_000, build: () => scaleApplication(1_000, 5_000) },
  {
    label: 'scale 10,000 roots',
    instances: 20_000,
    build: () => scaleApplication(10_000, 20_000),
  },
];

/** `--max-instances N` leaves out the larger sizes (the largest plans a million steps). */
function maxInstances(): number {
  const at = process.argv.indexOf('--max-instances');
  const value = at < 0 ? undefined : Number(process.argv[at + 1]);
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`--max-instances: expected a positive integer, got ${process.argv[at + 1]}`);
  }
  return value ?? Number.POSITIVE_INFINITY;
}

/** Runs of the whole plan per size; the fastest is reported (the machine is shared). */
const PLAN_RUNS = 3;

/** Step results timed through chained `react` calls (each copies the whole application). */
const CHAINED_RESULTS = 2_000;

/** Above this many instances, one run of each measure: the plan alone has about a million steps. */
const ONE_RUN_ABOVE_INSTANCES = 10_000;

interface SizeResult {
  readonly label: string;
  readonly instances: number;
  readonly planSteps: number;
  readonly updateSteps: number;
  /** Wall-clock and CPU time of the fastest plan. */
  readonly planMs: number;
  readonly planCpuMs: number;
  /** Wall-clock time of each step result's reaction, and the CPU time of all of them over their count. */
  readonly stepResults: DurationStats;
  readonly stepResultCpuMeanMs: number;
  /** Mean time of a step result through chained `react(snapshot, input)` calls. */
  readonly chainedReactMeanMs: number;
  /** `react` on a copy of the started application (a new engine), stopping an exporter. */
  readonly freshReactMs: number;
  readonly heapUsedMb: number;
}

function startAll(application: ApplicationSnapshot): LifecycleRequest[] {
  return application.instances
    .filter((entry) => entry.parentPath === undefined)
    .map((entry) => ({
      instancePath: entry.path,
      targetState: 'deployed_started',
      scope: 'subtree',
    }));
}

/** Deploys and starts everything with one engine, every step succeeding, timing each step result. */
function timeStepResults(application: ApplicationSnapshot): { durations: number[]; cpuMs: number } {
  const engine = new LifecycleEngine(application);
  const pending: LifecycleStep[] = [];
  for (const request of startAll(application)) {
    pending.push(...engine.react({ type: 'request', request }).steps);
  }
  const durations: number[] = [];
  const cpu = process.cpuUsage();
  for (let index = 0; index < pending.length; index++) {
    const step = pending[index];
    if (step !== undefined) {
      const { result, ms } = timed(() =>
        engine.react({ type: 'step-succeeded', instancePath: step.instancePath, step: step.kind }),
      );
      durations.push(ms);
      for (const next of result.steps) {
        pending.push(next);
      }
    }
  }
  return { durations, cpuMs: cpuMsSince(cpu) };
}

/**
 * The mean time of a step result when every reaction goes through `react(snapshot, input)` on the
 * snapshot the previous one returned (the engine continues, but each call also copies the
 * application into a new snapshot), over the first `CHAINED_RESULTS` results.
 */
function timeChainedReact(application: ApplicationSnapshot): number {
  let snapshot = application;
  const pending: LifecycleStep[] = [];
  for (const request of startAll(application)) {
    const reaction = react(snapshot, { type: 'request', request });
    snapshot = reaction.application;
    pending.push(...reaction.steps);
  }
  const results = Math.min(CHAINED_RESULTS, pending.length);
  const start = performance.now();
  for (let index = 0; index < results; index++) {
    const step = pending[index];
    if (step !== undefined) {
      const reaction = react(snapshot, {
        type: 'step-succeeded',
        instancePath: step.instancePath,
        step: step.kind,
      });
      snapshot = reaction.application;
      for (const next of reaction.steps) {
        pending.push(next);
      }
    }
  }
  return (performance.now() - start) / Math.max(1, results);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** Plans "deploy and start all" (fastest of `runs`), keeping only what the report needs of the plan. */
function measurePlan(application: ApplicationSnapshot, runs: number) {
  const requests = startAll(application);
  let cpuMs = Number.POSITIVE_INFINITY;
  let outcome = { steps: 0, updates: 0, started: application };
  const wallMs = fastestMs(runs, () => {
    const cpu = process.cpuUsage();
    const plan = planRequest(application, requests);
    cpuMs = Math.min(cpuMs, cpuMsSince(cpu));
    // Only counts are kept: at 20,000 instances the steps alone fill a gigabyte.
    const updates = plan.steps.filter((step) => step.kind === 'update').length;
    outcome = { steps: plan.steps.length, updates, started: plan.application };
  });
  return { ...outcome, wallMs, cpuMs };
}

/** What a new engine costs: `react` on a snapshot it did not produce (one loaded from a database). */
function timeFreshReaction(started: ApplicationSnapshot, runs: number): number {
  const exporter = started.instances.find((entry) => /\/(db|database0)$/.test(entry.path));
  const stop: LifecycleRequest = {
    instancePath: exporter?.path ?? started.instances[0]?.path ?? '/',
    targetState: 'deployed_stopped',
  };
  // `started` came from the planner, not from `react`: every call builds a new engine.
  return fastestMs(runs, () => react(started, { type: 'request', request: stop }));
}

function measure(label: string, application: ApplicationSnapshot): SizeResult {
  const runs = application.instances.length > ONE_RUN_ABOVE_INSTANCES ? 1 : PLAN_RUNS;
  const plan = measurePlan(application, runs);
  const { durations, cpuMs } = timeStepResults(application);
  return {
    label,
    instances: application.instances.length,
    planSteps: plan.steps,
    updateSteps: plan.updates,
    planMs: plan.wallMs,
    planCpuMs: plan.cpuMs,
    stepResults: statsOf(durations),
    stepResultCpuMeanMs: cpuMs / Math.max(1, durations.length),
    chainedReactMeanMs: timeChainedReact(application),
    freshReactMs: timeFreshReaction(plan.started, runs),
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

function describe(result: SizeResult): string {
  const { stepResults: steps } = result;
  return (
    `${result.label}, ${result.instances} instances: plan-all ${result.planSteps} steps ` +
    `(${result.updateSteps} updates) in ${result.planMs.toFixed(0)} ms ` +
    `(${result.planCpuMs.toFixed(0)} ms CPU); one step result ${steps.meanMs.toFixed(3)} ms mean ` +
    `(${result.stepResultCpuMeanMs.toFixed(3)} ms CPU), ${steps.p99Ms.toFixed(3)} ms p99, ` +
    `${steps.maxMs.toFixed(1)} ms max, ${result.chainedReactMeanMs.toFixed(3)} ms mean through ` +
    `react(snapshot); a new engine stopping an exporter ` +
    `${result.freshReactMs.toFixed(1)} ms; heap ${result.heapUsedMb.toFixed(0)} MB`
  );
}

const loadBefore = loadavg()
  .map((value) => value.toFixed(2))
  .join(', ');
console.log(`load average before: ${loadBefore} on ${cpus().length} CPUs`);
const results: SizeResult[] = [];
for (const size of SIZES.filter((entry) => entry.instances <= maxInstances())) {
  const result = measure(size.label, size.build());
  results.push(result);
  console.log(describe(result));
}
mkdirSync(join(RESULTS_FILE, '..'), { recursive: true });
writeFileSync(
  RESULTS_FILE,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      loadAverage: {
        before: loadBefore,
        after: loadavg()
          .map((value) => value.toFixed(2))
          .join(', '),
      },
      results,
    },
    null,
    2,
  )}\n`,
);
