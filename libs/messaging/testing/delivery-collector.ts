/**
 * Collects items (handled messages) and lets a test await a count with a timeout instead of
 * sleeping (acm's `timeout(once(...))`).
 */
export class DeliveryCollector<T> {
  readonly items: T[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  /** Records one item and wakes the waiters whose count is reached. */
  add(item: T): void {
    this.items.push(item);
    const ready = this.waiters.filter((waiter) => this.items.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.items.length < waiter.count);
    ready.forEach((waiter) => waiter.resolve());
  }

  /**
   * Resolves once at least `count` items were recorded.
   * @throws Error saying how many arrived when `timeoutMs` passes first.
   */
  async waitFor(count: number, timeoutMs = 10_000): Promise<T[]> {
    if (this.items.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${this.items.length} of ${count} deliveries within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    }
    return this.items;
  }
}
