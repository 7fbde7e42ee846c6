import type { InstanceDefinition } from '../model.types';
import { LifecycleError } from './lifecycle.error';

/** The instance tree of an application, indexed by path, for parent, children and descendant look-ups. */
export class InstanceTree {
  private readonly byPath: ReadonlyMap<string, InstanceDefinition>;
  private readonly children: ReadonlyMap<string, readonly InstanceDefinition[]>;

  constructor(readonly instances: readonly InstanceDefinition[]) {
    this.byPath = new Map(instances.map((instance) => [instance.path, instance]));
    const children = new Map<string, InstanceDefinition[]>();
    for (const instance of instances) {
      if (instance.parentPath !== undefined) {
        children.set(instance.parentPath, [...(children.get(instance.parentPath) ?? []), instance]);
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
    for (const child of this.children.get(this.get(path).path) ?? []) {
      result.push(child, ...this.descendantsOf(child.path));
    }
    return result;
  }

  /** Every instance, parents before children (whatever the order the tree was built from). */
  topDown(): InstanceDefinition[] {
    const roots = this.instances.filter((instance) => instance.parentPath === undefined);
    return roots.flatMap((root) => [root, ...this.descendantsOf(root.path)]);
  }
}
