/**
 * Counts refused deliveries by reason code (choria-style counters), for metrics and tests: a
 * Prometheus collector in an app reads `snapshot()`.
 */
export class RejectionCounter {
  private readonly counts = new Map<string, number>();

  /** Adds one refusal under `code`. */
  increment(code: string): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
  }

  /** How many refusals were counted under `code`. */
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }

  /** How many refusals were counted in all. */
  get total(): number {
    let sum = 0;
    this.counts.forEach((count) => (sum += count));
    return sum;
  }

  /** Every code and its count, as a plain object. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
