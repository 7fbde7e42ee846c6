import type { OpenedEnvelope } from '@flotilla/messaging';

/** How long a test waits for an agent's message by default (agents start under ts-node). */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Every envelope the test DM received, and waits on a predicate with a timeout (never a sleep):
 * a test awaits "the result of job X" instead of guessing when it will come.
 */
export class MessageLog {
  readonly items: OpenedEnvelope[] = [];
  private waiters: {
    matches: (item: OpenedEnvelope) => boolean;
    resolve: (item: OpenedEnvelope) => void;
  }[] = [];

  /** Records one envelope and wakes the waiters it satisfies. */
  add(item: OpenedEnvelope): void {
    this.items.push(item);
    const woken = this.waiters.filter((waiter) => waiter.matches(item));
    this.waiters = this.waiters.filter((waiter) => !waiter.matches(item));
    woken.forEach((waiter) => waiter.resolve(item));
  }

  /** Envelopes of `type` whose payload satisfies `matches`, in arrival order. */
  all<T>(type: string, matches: (payload: T) => boolean = () => true): T[] {
    return this.items
      .filter((item) => item.type === type && matches(item.payload as T))
      .map((item) => item.payload as T);
  }

  /**
   * The first envelope of `type` (already received or to come) whose payload satisfies `matches`.
   * @throws Error naming what was awaited when `timeoutMs` passes first.
   */
  waitFor<T>(
    type: string,
    matches: (payload: T) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<T> {
    const test = (item: OpenedEnvelope): boolean =>
      item.type === type && matches(item.payload as T);
    const found = this.items.find(test);
    if (found !== undefined) {
      return Promise.resolve(found.payload as T);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== settle);
        reject(new Error(`no ${type} matching the expectation within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (item: OpenedEnvelope): void => {
        clearTimeout(timer);
        resolve(item.payload as T);
      };
      this.waiters.push({ matches: test, resolve: settle });
    });
  }
}
