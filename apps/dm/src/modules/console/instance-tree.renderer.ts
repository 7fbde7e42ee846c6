import { Injectable } from '@nestjs/common';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { ImportLink, TreeInstance } from './import-links';
import { drawInstanceTree, layOutInstanceTree } from './instance-tree-svg';

/** How many tree shapes keep their layout (one per application being watched, roughly). */
const MAX_CACHED_LAYOUTS = 64;

/** The shape of a tree: what its layout depends on (paths, parents, links), not the states. */
function shapeOf(instances: readonly TreeInstance[], links: readonly ImportLink[]): string {
  return JSON.stringify([instances.map((i) => [i.path, i.parentPath]), links]);
}

/**
 * Renders instance-tree SVGs, reusing the ELK layout while a tree keeps its shape: during a
 * deployment every state change re-renders the page's live part, and only colours and labels
 * change (ELK takes tens to hundreds of milliseconds; drawing takes about one).
 */
@Injectable()
export class InstanceTreeRenderer {
  private readonly layouts = new Map<string, Promise<ElkNode>>();

  /** The SVG of the tree in its current states. */
  async render(instances: readonly TreeInstance[], links: readonly ImportLink[]): Promise<string> {
    const shape = shapeOf(instances, links);
    let layout = this.layouts.get(shape);
    if (layout === undefined) {
      layout = layOutInstanceTree(instances, links);
      this.remember(shape, layout);
    }
    return drawInstanceTree(instances, await layout);
  }

  private remember(shape: string, layout: Promise<ElkNode>): void {
    this.layouts.set(shape, layout);
    // A failed layout is not kept: the next render tries again.
    layout.catch(() => this.layouts.delete(shape));
    const oldest = this.layouts.keys().next();
    if (this.layouts.size > MAX_CACHED_LAYOUTS && oldest.done !== true) {
      this.layouts.delete(oldest.value);
    }
  }
}
