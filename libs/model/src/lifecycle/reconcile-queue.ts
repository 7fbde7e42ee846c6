import type { InstanceDefinition } from '../model.types';
import type { InstanceTree } from './instance-tree';
import { PositionHeap } from './position-heap';

/** The cursor of the queue between passes: every mark goes to the coming pass. */
const BETWEEN_PASSES = -1;

/**
 * The owned instances a reconcile pass must look at again, in top-down order. A pass visits the
 * instances in that order; an instance marked during a pass is visited later in the same pass when
 * it comes after the one being decided, and in the next pass otherwise, exactly as a pass over
 * every instance would see it. Instances never marked are settled: no rule applies to them.
 */
export class ReconcileQueue {
  private readonly positions = new Map<string, number>();
  private readonly paths: readonly string[];
  private readonly current = new PositionHeap();
  private readonly isInCurrent: Uint8Array;
  private next: number[] = [];
  private readonly isInNext: Uint8Array;
  private cursor = BETWEEN_PASSES;

  /** @param ownedTopDown the paths of the owned instances, parents before children. */
  constructor(
    private readonly tree: InstanceTree,
    ownedTopDown: readonly string[],
  ) {
    this.paths = ownedTopDown;
    ownedTopDown.forEach((path, position) => this.positions.set(path, position));
    this.isInCurrent = new Uint8Array(ownedTopDown.length);
    this.isInNext = new Uint8Array(ownedTopDown.length);
  }

  /** How many owned instances a pass may visit. */
  get ownedCount(): number {
    return this.paths.length;
  }

  /** Marks every owned instance (nothing is known to be settled). */
  markAll(): void {
    this.paths.forEach((_path, position) => this.markPosition(position));
  }

  /** Marks an instance whose lifecycle or imports changed, with every instance whose rules read it: its ancestors and descendants. */
  markAround(path: string): void {
    const instance = this.tree.get(path);
    this.mark(path);
    for (let parent = instance.parentPath; parent !== undefined;) {
      this.mark(parent);
      parent = this.tree.get(parent).parentPath;
    }
    this.tree.forEachDescendant(path, this.markDescendant);
  }

  private readonly markDescendant = (descendant: InstanceDefinition): void => {
    this.mark(descendant.path);
  };

  /** Begins a pass with the instances marked since the last one; false when there are none. */
  startPass(): boolean {
    this.cursor = BETWEEN_PASSES;
    const carried = this.next;
    this.next = [];
    for (const position of carried) {
      this.isInNext[position] = 0;
      this.markPosition(position);
    }
    return this.current.size > 0;
  }

  /** The next instance of the pass, top-down; undefined when the pass is over. */
  pop(): string | undefined {
    const position = this.current.pop();
    if (position === undefined) {
      this.cursor = BETWEEN_PASSES;
      return undefined;
    }
    this.isInCurrent[position] = 0;
    this.cursor = position;
    return this.paths[position];
  }

  private mark(path: string): void {
    const position = this.positions.get(path);
    if (position !== undefined) {
      this.markPosition(position);
    }
  }

  private markPosition(position: number): void {
    if (position > this.cursor) {
      if (this.isInCurrent[position] === 0) {
        this.isInCurrent[position] = 1;
        this.current.push(position);
      }
    } else if (this.isInNext[position] === 0) {
      this.isInNext[position] = 1;
      this.next.push(position);
    }
  }
}
