import type {
  ComponentDeclaration,
  FacetDeclaration,
  GraphFileDeclarations,
} from '../dsl/graph-declarations.types';
import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { MAX_INHERITANCE_DEPTH } from '../dsl/dsl.constants';
import { DIAGNOSTIC_CODES, formatPosition } from '../errors';
import type { SourcePosition } from '../model.types';
import { findCycles } from './cycle-finder';

/** Every component and facet declared by a set of graph files, by name (first definition wins). */
export class GraphIndex {
  readonly components = new Map<string, ComponentDeclaration>();
  readonly facets = new Map<string, FacetDeclaration>();

  constructor(
    files: readonly GraphFileDeclarations[],
    private readonly collector: DiagnosticCollector,
  ) {
    const components = files.flatMap((file) => file.components).filter((item) => item.name !== '');
    const facets = files.flatMap((file) => file.facets).filter((item) => item.name !== '');
    this.index(components, this.components, DIAGNOSTIC_CODES.duplicateComponent);
    this.index(facets, this.facets, DIAGNOSTIC_CODES.duplicateFacet);
    this.reportConflicts(components, facets);
    this.checkReferences();
  }

  /** True when the name is a component or a facet. */
  isType(name: string): boolean {
    return this.components.has(name) || this.facets.has(name);
  }

  /** The super components of a component, nearest first, stopping before any cycle. */
  superComponents(name: string): string[] {
    const chain: string[] = [];
    const visited = new Set<string>([name]);
    let current = this.components.get(name)?.extends?.name;
    while (current !== undefined && this.components.has(current) && !visited.has(current)) {
      if (chain.length === MAX_INHERITANCE_DEPTH) {
        break;
      }
      chain.push(current);
      visited.add(current);
      current = this.components.get(current)?.extends?.name;
    }
    return chain;
  }

  /** Reports components whose `extends` chain is longer than the depth followed. */
  reportDeepInheritance(): void {
    for (const component of this.components.values()) {
      const chain = this.superComponents(component.name);
      const last = chain.at(-1);
      if (chain.length === MAX_INHERITANCE_DEPTH && last && this.components.get(last)?.extends) {
        this.collector.error(
          DIAGNOSTIC_CODES.extendsCycle,
          `component '${component.name}' extends more than ${MAX_INHERITANCE_DEPTH} components in a chain`,
          component.position,
        );
      }
    }
  }

  /** Reports every cycle in `extends`, between components and between facets. */
  reportExtendsCycles(): void {
    const componentCycles = findCycles([...this.components.keys()], (name) => {
      const parent = this.components.get(name)?.extends?.name;
      return parent !== undefined && this.components.has(parent) ? [parent] : [];
    });
    for (const cycle of componentCycles) {
      this.reportCycle('component', cycle, this.components.get(cycle[0])?.position);
    }
    const facetCycles = findCycles([...this.facets.keys()], (name) =>
      (this.facets.get(name)?.extends ?? [])
        .map((ref) => ref.name)
        .filter((ref) => this.facets.has(ref)),
    );
    for (const cycle of facetCycles) {
      this.reportCycle('facet', cycle, this.facets.get(cycle[0])?.position);
    }
  }

  private reportCycle(kind: string, cycle: string[], position?: SourcePosition): void {
    this.collector.error(
      DIAGNOSTIC_CODES.extendsCycle,
      `cycle in extends between ${kind}s: ${[...cycle, cycle[0]].join(' -> ')}`,
      position,
    );
  }

  private index<T extends ComponentDeclaration | FacetDeclaration>(
    items: readonly T[],
    into: Map<string, T>,
    code: typeof DIAGNOSTIC_CODES.duplicateComponent | typeof DIAGNOSTIC_CODES.duplicateFacet,
  ): void {
    const byName = new Map<string, T[]>();
    for (const item of items) {
      byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
    }
    for (const [name, group] of byName) {
      into.set(name, group[0]);
      if (group.length < 2) {
        continue;
      }
      for (const item of group) {
        const others = group
          .filter((other) => other !== item)
          .map((other) => formatPosition(other.position));
        this.collector.error(
          code,
          `${item.kind} '${name}' is defined more than once (also at ${others.join(', ')})`,
          item.position,
        );
      }
    }
  }

  private reportConflicts(
    components: readonly ComponentDeclaration[],
    facets: readonly FacetDeclaration[],
  ): void {
    for (const item of [...components, ...facets]) {
      const conflicting =
        item.kind === 'component' ? this.facets.get(item.name) : this.components.get(item.name);
      if (conflicting) {
        this.collector.error(
          DIAGNOSTIC_CODES.conflictingName,
          `${item.kind} '${item.name}' has the same name as the ${conflicting.kind} at ${formatPosition(conflicting.position)}`,
          item.position,
        );
      }
    }
  }

  private checkReferences(): void {
    for (const component of this.components.values()) {
      const owner = `component '${component.name}'`;
      const parent = component.extends;
      if (parent && !this.components.has(parent.name)) {
        const what = this.facets.has(parent.name)
          ? 'a facet, not a component'
          : 'an unknown component';
        this.collector.error(
          DIAGNOSTIC_CODES.unknownComponent,
          `${owner} extends '${parent.name}', ${what}`,
          parent.position,
        );
      }
      for (const facet of component.facets) {
        if (!this.facets.has(facet.name)) {
          this.collector.error(
            DIAGNOSTIC_CODES.unknownFacet,
            `${owner} has unknown facet '${facet.name}'`,
            facet.position,
          );
        }
      }
      this.checkChildren(owner, component);
    }
    for (const facet of this.facets.values()) {
      const owner = `facet '${facet.name}'`;
      for (const parent of facet.extends) {
        if (!this.facets.has(parent.name)) {
          this.collector.error(
            DIAGNOSTIC_CODES.unknownFacet,
            `${owner} extends unknown facet '${parent.name}'`,
            parent.position,
          );
        }
      }
      this.checkChildren(owner, facet);
    }
  }

  private checkChildren(owner: string, item: ComponentDeclaration | FacetDeclaration): void {
    for (const child of item.children) {
      if (!this.isType(child.name)) {
        this.collector.error(
          DIAGNOSTIC_CODES.unknownChild,
          `${owner} has unknown child '${child.name}': no component or facet has this name`,
          child.position,
        );
      }
    }
  }
}
