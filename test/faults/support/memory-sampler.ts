import type { DmProcess } from './dm-process';

/** Samples a DM process's resident memory; keeps the first and the largest reading. */
export class MemorySampler {
  private readings: number[] = [];

  constructor(private readonly dm: DmProcess) {}

  /** Reads VmRSS once. */
  async sample(): Promise<void> {
    this.readings.push(await this.dm.residentBytes());
  }

  /** The first reading, in bytes. */
  get first(): number {
    return this.readings[0] ?? 0;
  }

  /** The largest reading, in bytes. */
  get peak(): number {
    return Math.max(0, ...this.readings);
  }

  /** How many readings were taken. */
  get count(): number {
    return this.readings.length;
  }
}
