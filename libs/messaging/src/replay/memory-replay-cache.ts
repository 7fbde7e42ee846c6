import { DEFAULT_REPLAY_CACHE_MAX_ENTRIES } from '../messaging.constants';
import { SYSTEM_CLOCK, type Clock } from '../support/clock';
import type { ReplayCache } from './replay-cache';
import { ReplayEntries } from './replay-entries';

/** Replay cache held in memory only: lost on restart, so meant for tests and short-lived processes. */
export class MemoryReplayCache implements ReplayCache {
  private readonly entries: ReplayEntries;

  constructor(private readonly options: { maxEntries?: number; clock?: Clock } = {}) {
    this.entries = new ReplayEntries(options.maxEntries ?? DEFAULT_REPLAY_CACHE_MAX_ENTRIES);
  }

  /** {@inheritDoc ReplayCache.has} */
  has(senderThumbprint: string, messageId: string): Promise<boolean> {
    const now = (this.options.clock ?? SYSTEM_CLOCK).now();
    return Promise.resolve(this.entries.has(ReplayEntries.keyOf(senderThumbprint, messageId), now));
  }

  /** {@inheritDoc ReplayCache.remember} */
  remember(senderThumbprint: string, messageId: string, expiresAt: number): Promise<void> {
    const now = (this.options.clock ?? SYSTEM_CLOCK).now();
    this.entries.add(ReplayEntries.keyOf(senderThumbprint, messageId), expiresAt, now);
    return Promise.resolve();
  }
}
