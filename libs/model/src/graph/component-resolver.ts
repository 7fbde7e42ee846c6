import { TARGET_INSTALLER } from '../dsl/dsl.constants';
import type { ExportDeclaration, NameReference } from '../dsl/graph-declarations.types';
import type { ExportedVariable, ImportedVariable, ResolvedComponent } from '../model.types';
import type { GraphIndex } from './graph-index';

/** Qualifies an export by its owner unless it is already qualified (`db.ip`). */
export function qualifyExport(owner: string, declaration: ExportDeclaration): ExportedVariable {
  const name = declaration.name.includes('.') ? declaration.name : `${owner}.${declaration.name}`;
  return {
    name,
    position: declaration.position,
    ...(declaration.defaultValue !== undefined ? { defaultValue: declaration.defaultValue } : {}),
    ...(declaration.random ? { random: declaration.random } : {}),
  };
}

/**
 * Applies Roboconf's inheritance to every component: `extends` brings the installer, exports
 * (visible under both prefixes), imports and children of super components; facets (and the facets
 * they extend) bring their exports and children; a child named by a facet or a super component also
 * admits every component having that facet or extending that component.
 */
export class ComponentResolver {
  private readonly facetClosures = new Map<string, string[]>();

  constructor(private readonly index: GraphIndex) {
    for (const name of index.components.keys()) {
      this.facetClosures.set(name, this.computeFacets(name));
    }
  }

  /** Every component, resolved, in declaration order. */
  resolveAll(): Record<string, ResolvedComponent> {
    const result: Record<string, ResolvedComponent> = {};
    for (const name of this.index.components.keys()) {
      result[name] = this.resolve(name);
    }
    return result;
  }

  private resolve(name: string): ResolvedComponent {
    const declaration = this.index.components.get(name);
    const ancestry = [name, ...this.index.superComponents(name)];
    const installer =
      ancestry.map((type) => this.index.components.get(type)?.installer?.name).find(Boolean) ?? '';
    return {
      name,
      installer,
      ancestry,
      facets: this.facetClosures.get(name) ?? [],
      exports: this.resolveExports(name, ancestry),
      imports: this.resolveImports(ancestry),
      children: this.resolveChildren(name, ancestry),
      isRoot: installer === TARGET_INSTALLER,
      ...(declaration ? { position: declaration.position } : {}),
    };
  }

  private computeFacets(name: string): string[] {
    const result: string[] = [];
    const pending = [name, ...this.index.superComponents(name)].flatMap(
      (type) => this.index.components.get(type)?.facets.map((ref) => ref.name) ?? [],
    );
    while (pending.length > 0) {
      const facet = pending.shift() ?? '';
      if (this.index.facets.has(facet) && !result.includes(facet)) {
        result.push(facet);
        pending.push(...(this.index.facets.get(facet)?.extends.map((ref) => ref.name) ?? []));
      }
    }
    return result;
  }

  private resolveExports(name: string, ancestry: readonly string[]): ExportedVariable[] {
    const exports = new Map<string, ExportedVariable>();
    for (const facet of this.facetClosures.get(name) ?? []) {
      for (const declaration of this.index.facets.get(facet)?.exports ?? []) {
        exports.set(qualifyExport(facet, declaration).name, qualifyExport(facet, declaration));
      }
    }
    // A super component's export is visible under its own prefix and every prefix down to this one;
    for (let depth = ancestry.length - 1; depth >= 0; depth--) {
      for (const declaration of this.index.components.get(ancestry[depth])?.exports ?? []) {
        // A redeclaration (Tomcat's port over Server's) also replaces the super component's value.
        const owners = ancestry.filter(
          (type, index) => index <= depth || this.declares(type, declaration.name),
        );
        for (const owner of owners) {
          const variable = qualifyExport(owner, declaration);
          exports.set(variable.name, variable);
        }
      }
    }
    return [...exports.values()];
  }

  private declares(type: string, name: string): boolean {
    return this.index.components.get(type)?.exports.some((item) => item.name === name) ?? false;
  }

  private resolveImports(ancestry: readonly string[]): ImportedVariable[] {
    const imports = new Map<string, ImportedVariable>();
    for (const type of [...ancestry].reverse()) {
      for (const variable of this.index.components.get(type)?.imports ?? []) {
        imports.set(variable.name, variable);
      }
    }
    return [...imports.values()];
  }

  private resolveChildren(name: string, ancestry: readonly string[]): string[] {
    const references: NameReference[] = [];
    for (const type of ancestry) {
      references.push(...(this.index.components.get(type)?.children ?? []));
    }
    for (const facet of this.facetClosures.get(name) ?? []) {
      references.push(...(this.index.facets.get(facet)?.children ?? []));
    }
    const children = new Set<string>();
    for (const reference of references) {
      for (const component of this.index.components.keys()) {
        if (this.admits(reference.name, component)) {
          children.add(component);
        }
      }
    }
    return [...children];
  }

  /** True when a `children` entry (a component or a facet) admits this component. */
  private admits(reference: string, component: string): boolean {
    return (
      component === reference ||
      this.index.superComponents(component).includes(reference) ||
      (this.facetClosures.get(component) ?? []).includes(reference)
    );
  }
}
