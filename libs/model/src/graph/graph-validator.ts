import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { WILDCARD_VARIABLE } from '../dsl/dsl.constants';
import { DIAGNOSTIC_CODES } from '../errors';
import type { ImportedVariable, ResolvedComponent } from '../model.types';
import { findCycles } from './cycle-finder';
import type { GraphIndex } from './graph-index';

/** True when an import (`Db.port`, `Db.*`) designates this qualified exported variable. */
export function importMatches(variable: ImportedVariable, exportedName: string): boolean {
  return variable.variable === WILDCARD_VARIABLE
    ? exportedName.startsWith(`${variable.prefix}.`)
    : exportedName === `${variable.prefix}.${variable.variable}`;
}

/**
 * Checks a resolved graph as a whole: installers, random ports, imports that some component must
 * export, self imports, components that can never be instantiated, cycles in `children`.
 */
export class GraphValidator {
  /** Qualified exported variable names by prefix (component or facet). */
  private readonly exportsByPrefix = new Map<string, string[]>();

  constructor(
    private readonly index: GraphIndex,
    private readonly components: Readonly<Record<string, ResolvedComponent>>,
    private readonly collector: DiagnosticCollector,
  ) {
    for (const component of Object.values(components)) {
      for (const variable of component.exports) {
        const prefix = variable.name.slice(0, variable.name.indexOf('.'));
        const names = this.exportsByPrefix.get(prefix) ?? [];
        names.push(variable.name);
        this.exportsByPrefix.set(prefix, names);
      }
    }
  }

  /** Runs every check, reporting into the collector. */
  validate(): void {
    for (const component of Object.values(this.components)) {
      this.checkInstaller(component);
      this.checkRandomPorts(component);
      for (const variable of this.index.components.get(component.name)?.imports ?? []) {
        this.checkImport(component, variable);
      }
    }
    this.checkReachability();
    this.checkChildrenCycles();
    this.checkOrphanFacets();
  }

  private checkOrphanFacets(): void {
    const used = new Set(Object.values(this.components).flatMap((component) => component.facets));
    for (const facet of this.index.facets.values()) {
      if (facet.children.length > 0 && !used.has(facet.name)) {
        this.collector.warning(
          DIAGNOSTIC_CODES.orphanFacet,
          `facet '${facet.name}' has children but no component has this facet: its children are unreachable through it`,
          facet.position,
        );
      }
    }
  }

  private checkInstaller(component: ResolvedComponent): void {
    if (component.installer === '') {
      this.collector.error(
        DIAGNOSTIC_CODES.missingInstaller,
        `component '${component.name}' has no installer (none set, none inherited through extends)`,
        component.position,
      );
    }
  }

  private checkRandomPorts(component: ResolvedComponent): void {
    for (const declaration of this.index.components.get(component.name)?.exports ?? []) {
      if (declaration.random && declaration.defaultValue !== undefined) {
        this.collector.error(
          DIAGNOSTIC_CODES.invalidRandom,
          `exported variable '${declaration.name}' of component '${component.name}' is a random port: it cannot have a value`,
          declaration.position,
        );
      }
    }
  }

  private checkImport(component: ResolvedComponent, variable: ImportedVariable): void {
    const owner = `component '${component.name}'`;
    if (variable.external) {
      return;
    }
    if (variable.prefix === '') {
      this.collector.error(
        DIAGNOSTIC_CODES.unqualifiedImport,
        `${owner} imports '${variable.name}' without saying from which component or facet (write Component.${variable.variable})`,
        variable.position,
      );
      return;
    }
    if (
      !(this.exportsByPrefix.get(variable.prefix) ?? []).some((name) =>
        importMatches(variable, name),
      )
    ) {
      const reason = this.index.isType(variable.prefix)
        ? `'${variable.prefix}' exports no such variable`
        : `no component or facet is named '${variable.prefix}'`;
      this.collector.error(
        DIAGNOSTIC_CODES.unresolvedImport,
        `${owner} imports ${variable.name}, but ${reason}`,
        variable.position,
      );
      return;
    }
    if (
      !variable.optional &&
      component.exports.some((item) => importMatches(variable, item.name))
    ) {
      this.collector.error(
        DIAGNOSTIC_CODES.selfImport,
        `${owner} imports ${variable.name}, which it exports itself: mark the import (optional)`,
        variable.position,
      );
    }
  }

  private checkReachability(): void {
    const admitted = new Set(
      Object.values(this.components).flatMap((component) => component.children),
    );
    const extended = new Set(
      Object.values(this.components).flatMap((component) => component.ancestry.slice(1)),
    );
    for (const component of Object.values(this.components)) {
      if (
        component.isRoot ||
        admitted.has(component.name) ||
        extended.has(component.name) ||
        component.installer === ''
      ) {
        continue;
      }
      this.collector.error(
        DIAGNOSTIC_CODES.unreachableComponent,
        `component '${component.name}' can never be instantiated: its installer '${component.installer}' is not 'target' (not a root) and no component lists it, a facet of it or a super component as a child`,
        component.position,
      );
    }
  }

  private checkChildrenCycles(): void {
    const cycles = findCycles(
      Object.keys(this.components),
      (name) => this.components[name]?.children ?? [],
    );
    for (const cycle of cycles) {
      this.collector.error(
        DIAGNOSTIC_CODES.childrenCycle,
        `cycle in children: ${[...cycle, cycle[0]].join(' -> ')} (an instance would have to contain itself)`,
        this.components[cycle[0]]?.position,
      );
    }
  }
}
