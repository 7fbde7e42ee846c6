/** How one item of a flushed batch ended. */
export type BatchOutcome<R> =
  { readonly isOk: true; readonly value: R } | { readonly isOk: false; readonly error: unknown };

/**
 * Group commit: items added while a flush runs wait and are flushed together by the next one, so
 * that a burst costs one transaction instead of one each, while a lone item is flushed at once
 * (no added latency). One flush runs at a time; each `add` settles with its own item's outcome.
 */
export class BatchQueue<T, R> {
  private readonly pending: Array<{
    readonly item: T;
    readonly resolve: (value: R) => void;
    readonly reject: (error: unknown) => void;
  }> = [];
  private isFlushing = false;

  constructor(
    private readonly flush: (items: readonly T[]) => Promise<ReadonlyArray<BatchOutcome<R>>>,
    private readonly maxBatch: number,
  ) {}

  /** Queues an item; resolves or rejects once the batch that carried it was flushed. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.isFlushing || this.pending.length === 0) {
      return;
    }
    this.isFlushing = true;
    const batch = this.pending.splice(0, this.maxBatch);
    this.flush(batch.map((entry) => entry.item))
      .then(
        (outcomes) =>
          batch.forEach((entry, index) => {
            const outcome = outcomes[index];
            if (outcome?.isOk === true) {
              entry.resolve(outcome.value);
            } else {
              entry.reject(outcome?.error ?? new Error('BatchQueue: no outcome for an item'));
            }
          }),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        this.isFlushing = false;
        this.next();
      });
  }
}
