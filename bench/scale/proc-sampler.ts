import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** What a process used over a sampled window. */
export interface ProcessUsage {
  /** Highest resident set size seen, in MiB. */
  readonly peakRssMiB: number;
  /** CPU time over the window / wall time (1.0 = one core busy). */
  readonly averageCpuCores: number;
  /** The busiest sampling interval, in cores. */
  readonly peakCpuCores: number;
  readonly cpuSeconds: number;
}

interface Sample {
  readonly at: number;
  readonly cpuSeconds: number;
  readonly rssMiB: number;
}

async function sample(pid: number): Promise<Sample> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return {
    at: performance.now(),
    cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
    rssMiB: rssKiB / 1024,
  };
}

/** Samples one process's RSS and CPU time from /proc at an interval, between `start` and `stop`. */
export class ProcSampler {
  private timer: NodeJS.Timeout | undefined;
  private first: Sample | undefined;
  private last: Sample | undefined;
  private peakRssMiB = 0;
  private peakCpuCores = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs: number,
  ) {}

  /** Starts sampling (the window opens now). */
  async start(): Promise<void> {
    this.first = await sample(this.pid);
    this.last = this.first;
    this.peakRssMiB = this.first.rssMiB;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Stops sampling and returns the window's usage. */
  async stop(): Promise<ProcessUsage> {
    clearInterval(this.timer);
    await this.tick();
    const first = this.first;
    const last = this.last;
    if (first === undefined || last === undefined) {
      throw new Error(`ProcSampler(${this.pid}): stop() before start()`);
    }
    const cpuSeconds = last.cpuSeconds - first.cpuSeconds;
    const wallSeconds = Math.max((last.at - first.at) / 1000, Number.EPSILON);
    return {
      peakRssMiB: this.peakRssMiB,
      averageCpuCores: cpuSeconds / wallSeconds,
      peakCpuCores: this.peakCpuCores,
      cpuSeconds,
    };
  }

  private async tick(): Promise<void> {
    const next = await sample(this.pid).catch(() => undefined);
    if (next === undefined || this.last === undefined) {
      return;
    }
    const seconds = (next.at - this.last.at) / 1000;
    // A short interval (the last tick, right after a timer tick) would turn one clock tick of CPU
    // time into a bogus peak: peaks count whole sampling intervals only.
    if (seconds >= this.intervalMs / 1000) {
      this.peakCpuCores = Math.max(
        this.peakCpuCores,
        (next.cpuSeconds - this.last.cpuSeconds) / seconds,
      );
    }
    this.peakRssMiB = Math.max(this.peakRssMiB, next.rssMiB);
    this.last = next;
  }
}
