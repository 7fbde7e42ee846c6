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

  /** For a component or facet name, the components a `children` entry with that name admits. */
  private readonly admitted = new Map<string, Set<string>>();

  /** Declaration order of the components, to list children in a stable order. */
  private readonly order = new Map<string, number>();

  constructor(private readonly index: GraphIndex) {
    [...index.components.keys()].forEach((name, position) => this.order.set(name, position));
    for (const name of index.components.keys()) {
      this.facetClosures.set(name, this.computeFacets(name));
    }
    for (const name of index.components.keys()) {
      for (const type of [
        name,
        ...index.superComponents(name),
        ...(this.facetClosures.get(name) ?? []),
      ]) {
        this.admitted.set(type, (this.admitted.get(type) ?? new Set<string>()).add(name));
      }
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
    const result = new Set<string>();
    const pending = [name, ...this.index.superComponents(name)].flatMap(
      (type) => this.index.components.get(type)?.facets.map((ref) => ref.name) ?? [],
    );
    // A queue read by index: breadth first, in declaration order, without shift()'s copying.
    for (let next = 0; next < pending.length; next++) {
      const facet = pending[next];
      if (this.index.facets.has(facet) && !result.has(facet)) {
        result.add(facet);
        pending.push(...(this.index.facets.get(facet)?.extends.map((ref) => ref.name) ?? []));
      }
    }
    return [...result];
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
      for (const component of this.admitted.get(reference.name) ?? []) {
        children.add(component);
      }
    }
    return [...children].sort(
      (left, right) => (this.order.get(left) ?? 0) - (this.order.get(right) ?? 0),
    );
  }
}
