import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { MAX_INSTANCES } from '../dsl/dsl.constants';
import type { InstanceDeclaration } from '../dsl/instance-declarations.types';
import { DIAGNOSTIC_CODES, formatPosition } from '../errors';
import type { InstanceDefinition, ResolvedComponent, ResolvedGraph } from '../model.types';
import { InstanceDeclarationChecker, type InstanceValues } from './instance-declaration-checker';

/** A declaration checked once, with its checked children. */
interface CheckedDeclaration {
  readonly declaration: InstanceDeclaration;
  readonly values: InstanceValues;
  readonly children: readonly CheckedDeclaration[];
}

/**
 * Turns instance declarations into the instance tree: each block checked once against the graph,
 * then `count: N` expanded into N numbered instances (`vm 1`, `vm 2`, ...) with unique paths.
 */
export class InstanceTreeBuilder {
  private readonly checker: InstanceDeclarationChecker;
  private readonly instances: InstanceDefinition[] = [];
  private readonly firstByPath = new Map<string, InstanceDefinition>();
  private overflow = false;

  constructor(
    private readonly graph: ResolvedGraph | undefined,
    private readonly collector: DiagnosticCollector,
  ) {
    this.checker = new InstanceDeclarationChecker(graph, collector);
  }

  /** Builds every instance, parents before children. */
  build(roots: readonly InstanceDeclaration[]): InstanceDefinition[] {
    const checked = roots.map((root) => this.checkTree(root, undefined, true));
    for (const root of checked) {
      this.expand(root, undefined);
    }
    return this.instances;
  }

  private checkTree(
    declaration: InstanceDeclaration,
    parent: ResolvedComponent | undefined,
    isRoot: boolean,
  ): CheckedDeclaration {
    const values = this.checker.check(declaration, parent, isRoot);
    const component = this.graph?.components[declaration.component];
    return {
      declaration,
      values,
      // Children of an unknown component cannot be checked against it: only their own content is.
      children: declaration.children.map((child) => this.checkTree(child, component, false)),
    };
  }

  private expand(checked: CheckedDeclaration, parentPath: string | undefined): void {
    const { declaration } = checked;
    const name = declaration.name?.trim();
    if (name === undefined || name === '' || this.overflow) {
      return;
    }
    const names =
      declaration.count > 1
        ? Array.from({ length: declaration.count }, (_, i) => `${name}${i + 1}`)
        : [name];
    for (const instanceName of names) {
      const instance = this.add(checked, instanceName, parentPath);
      if (instance) {
        for (const child of checked.children) {
          this.expand(child, instance.path);
        }
      }
    }
  }

  private add(
    checked: CheckedDeclaration,
    name: string,
    parentPath: string | undefined,
  ): InstanceDefinition | undefined {
    const { declaration, values } = checked;
    const path = `${parentPath ?? ''}/${name}`;
    if (!this.hasRoomFor(path, declaration)) {
      return undefined;
    }
    const instance: InstanceDefinition = {
      name,
      component: declaration.component,
      path,
      ...(parentPath !== undefined ? { parentPath } : {}),
      overriddenExports: values.overriddenExports,
      properties: values.properties,
      position: declaration.position,
    };
    this.firstByPath.set(path, instance);
    this.instances.push(instance);
    return instance;
  }

  /** Reports a path already taken or the instance limit reached; true when the instance can be added. */
  private hasRoomFor(path: string, declaration: InstanceDeclaration): boolean {
    const first = this.firstByPath.get(path);
    if (first) {
      const where = first.position ? ` (first at ${formatPosition(first.position)})` : '';
      this.collector.error(
        DIAGNOSTIC_CODES.duplicateInstance,
        `instance ${path} is defined twice${where}`,
        declaration.position,
      );
      return false;
    }
    if (!this.overflow && this.instances.length >= MAX_INSTANCES) {
      this.overflow = true;
      this.collector.error(
        DIAGNOSTIC_CODES.invalidCount,
        `more than ${MAX_INSTANCES} instances: reduce the counts`,
        declaration.position,
      );
    }
    return !this.overflow;
  }
}
