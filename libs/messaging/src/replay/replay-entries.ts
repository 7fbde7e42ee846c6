import { REPLAY_SWEEP_MIN_ENTRIES } from '../messaging.constants';

/**
 * Bounded in-memory map of replay-cache keys to expiry times: expired entries are pruned and,
 * beyond `maxEntries`, those that expire soonest are evicted first.
 */
export class ReplayEntries {
  private readonly entries = new Map<string, number>();
  private sweepAt = REPLAY_SWEEP_MIN_ENTRIES;

  constructor(private readonly maxEntries: number) {}

  /** Builds the map key of a sender's message id. */
  static keyOf(senderThumbprint: string, messageId: string): string {
    return `${senderThumbprint}/${messageId}`;
  }

  /** Number of entries held, expired or not. */
  get size(): number {
    return this.entries.size;
  }

  /** Tells whether `key` is held and not yet expired at `now`. */
  has(key: string, now: number): boolean {
    const expiresAt = this.entries.get(key);
    return expiresAt !== undefined && expiresAt > now;
  }

  /** Adds or extends an entry, then prunes and enforces the bound; returns whether entries were dropped. */
  add(key: string, expiresAt: number, now: number): boolean {
    this.entries.set(key, Math.max(expiresAt, this.entries.get(key) ?? 0));
    return this.prune(now);
  }

  /** Returns the live entries as [key, expiresAt] pairs. */
  toArray(): Array<[string, number]> {
    return [...this.entries.entries()];
  }

  // Expired entries are swept when the map doubles since the last sweep (amortised O(1) per add)
  // or passes the bound; then the soonest-expiring entries are evicted down to the bound.
  private prune(now: number): boolean {
    const before = this.entries.size;
    if (before <= this.maxEntries && before <= this.sweepAt) {
      return false;
    }
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt <= now) {
        this.entries.delete(key);
      }
    }
    this.sweepAt = Math.max(REPLAY_SWEEP_MIN_ENTRIES, 2 * this.entries.size);
    if (this.entries.size > this.maxEntries) {
      const soonestFirst = [...this.entries.entries()].sort((a, b) => a[1] - b[1]);
      for (const [key] of soonestFirst.slice(0, this.entries.size - this.maxEntries)) {
        this.entries.delete(key);
      }
    }
    return this.entries.size < before;
  }
}
