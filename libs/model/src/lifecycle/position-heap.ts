/** A binary min-heap of non-negative integers (positions in the top-down order of a tree). */
export class PositionHeap {
  private readonly items: number[] = [];

  /** How many positions are queued. */
  get size(): number {
    return this.items.length;
  }

  /** Queues a position (the caller keeps positions unique). */
  push(position: number): void {
    const items = this.items;
    let child = items.push(position) - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const above = items[parent] ?? 0;
      if (above <= position) {
        break;
      }
      items[child] = above;
      child = parent;
    }
    items[child] = position;
  }

  /** Removes and returns the smallest position, undefined when empty. */
  pop(): number | undefined {
    const items = this.items;
    const smallest = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) {
      return smallest;
    }
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= items.length) {
        break;
      }
      const right = left + 1;
      const child = right < items.length && (items[right] ?? 0) < (items[left] ?? 0) ? right : left;
      const below = items[child] ?? 0;
      if (below >= last) {
        break;
      }
      items[parent] = below;
      parent = child;
    }
    items[parent] = last;
    return smallest;
  }
}
