/** Small timing helpers of the lifecycle benchmark. */
import { performance } from 'node:perf_hooks';

/** Mean, median, 99th percentile and maximum of a series of durations, in milliseconds. */
export interface DurationStats {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The statistics of a series of durations (milliseconds). */
export function statsOf(durations: readonly number[]): DurationStats {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (quantile: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    meanMs: sorted.length === 0 ? 0 : total / sorted.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** The fastest of `runs` runs of a function, in milliseconds (the machine is shared). */
export function fastestMs(runs: number, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < runs; attempt++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** How long one call took, in milliseconds, with its result. */
export function timed<T>(run: () => T): { readonly result: T; readonly ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}
