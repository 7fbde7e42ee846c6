import type { InstanceDefinition } from '../model.types';
import { LifecycleError } from './lifecycle.error';

/** The instance tree of an application, indexed by path, for parent, children and descendant look-ups. */
export class InstanceTree {
  private readonly byPath: ReadonlyMap<string, InstanceDefinition>;
  private readonly children: ReadonlyMap<string, readonly InstanceDefinition[]>;

  private order: readonly InstanceDefinition[] | undefined;

  constructor(readonly instances: readonly InstanceDefinition[]) {
    this.byPath = new Map(instances.map((instance) => [instance.path, instance]));
    const children = new Map<string, InstanceDefinition[]>();
    for (const instance of instances) {
      if (instance.parentPath !== undefined) {
        const siblings = children.get(instance.parentPath) ?? [];
        siblings.push(instance);
        children.set(instance.parentPath, siblings);
      }
    }
    this.children = children;
  }

  /**
   * The instance at a path.
   * @throws LifecycleError `UNKNOWN_INSTANCE` naming the path.
   */
  get(path: string): InstanceDefinition {
    const instance = this.byPath.get(path);
    if (instance === undefined) {
      throw new LifecycleError('UNKNOWN_INSTANCE', `No instance at ${path}`, {
        instancePath: path,
      });
    }
    return instance;
  }

  /** The parent of the instance at a path; undefined for a root. */
  parentOf(path: string): InstanceDefinition | undefined {
    const parentPath = this.get(path).parentPath;
    return parentPath === undefined ? undefined : this.get(parentPath);
  }

  /** The ancestors of the instance at a path, nearest first. */
  ancestorsOf(path: string): InstanceDefinition[] {
    const ancestors: InstanceDefinition[] = [];
    for (
      let parent = this.parentOf(path);
      parent !== undefined;
      parent = this.parentOf(parent.path)
    ) {
      ancestors.push(parent);
    }
    return ancestors;
  }

  /** The descendants of the instance at a path, parents before children. */
  descendantsOf(path: string): InstanceDefinition[] {
    const result: InstanceDefinition[] = [];
    this.collectDescendants(this.get(path).path, result);
    return result;
  }

  /** Every instance, parents before children (whatever the order the tree was built from). */
  topDown(): InstanceDefinition[] {
    this.order ??= this.instances
      .filter((instance) => instance.parentPath === undefined)
      .flatMap((root) => [root, ...this.descendantsOf(root.path)]);
    return [...this.order];
  }

  /** Calls `visit` with every descendant of the instance at a path, parents before children, without building a list. */
  forEachDescendant(path: string, visit: (descendant: InstanceDefinition) => void): void {
    for (const child of this.children.get(path) ?? []) {
      visit(child);
      this.forEachDescendant(child.path, visit);
    }
  }

  private collectDescendants(path: string, into: InstanceDefinition[]): void {
    for (const child of this.children.get(path) ?? []) {
      into.push(child);
      this.collectDescendants(child.path, into);
    }
  }
}
