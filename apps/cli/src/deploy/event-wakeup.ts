import type { DmClient } from '../api/dm-client';

/**
 * Follows the DM's `/api/events` stream only as a wake-up signal: any event means "read the
 * instances again now". Waiters still poll on a timeout, so a stream that fails or misses an
 * event costs at most one poll interval.
 */
export class EventWakeup {
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private hasPendingEvent = false;

  /** Opens the stream in the background. */
  start(dm: DmClient): void {
    void this.follow(dm);
  }

  /** Resolves at the next event (or at once if one came since the last call), or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void> {
    if (this.hasPendingEvent) {
      this.hasPendingEvent = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.wake = done;
    });
  }

  /** Closes the stream. */
  close(): void {
    this.abort.abort();
    this.wake?.();
  }

  private async follow(dm: DmClient): Promise<void> {
    try {
      const response = await dm.openEvents(this.abort.signal);
      const reader = response.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) {
          return;
        }
        if (this.wake) {
          this.wake();
        } else {
          this.hasPendingEvent = true;
        }
      }
    } catch {
      // The stream is only a hint (closed on purpose, or the DM is older): polling goes on.
    }
  }
}
