import { WILDCARD_VARIABLE } from '../dsl/dsl.constants';
import type { ResolvedComponent } from '../model.types';

/** The imports of a component grouped by prefix, as Roboconf checks them (per prefix, not per variable). */
export interface PrefixImport {
  readonly prefix: string;
  readonly variables: ReadonlySet<string>;
  /** True when every variable of the prefix is `(optional)`: the prefix never blocks a start. */
  readonly isOptional: boolean;
  readonly isExternal: boolean;
}

const PREFIX_IMPORTS = new WeakMap<ResolvedComponent, readonly PrefixImport[]>();

/** The imports of a component grouped by prefix, computed once per (immutable) component. */
export function prefixImportsOf(component: ResolvedComponent): readonly PrefixImport[] {
  let groups = PREFIX_IMPORTS.get(component);
  if (groups === undefined) {
    groups = groupByPrefix(component);
    PREFIX_IMPORTS.set(component, groups);
  }
  return groups;
}

function groupByPrefix(component: ResolvedComponent): PrefixImport[] {
  const groups = new Map<
    string,
    { variables: Set<string>; isOptional: boolean; isExternal: boolean }
  >();
  for (const imported of component.imports) {
    const group = groups.get(imported.prefix) ?? {
      variables: new Set<string>(),
      isOptional: true,
      isExternal: imported.external,
    };
    group.variables.add(imported.variable);
    group.isOptional = group.isOptional && imported.optional;
    groups.set(imported.prefix, group);
  }
  return [...groups].map(([prefix, group]) => ({ prefix, ...group }));
}

/**
 * An exporter's variables named `<prefix>.<variable>` that the importer wants. The graph already
 * replicates inherited exports under every component name down the `extends` chain, and facet
 * exports under the facet name, so a plain prefix match is Roboconf's visibility.
 */
export function visibleVariables(
  group: PrefixImport,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const visible: Record<string, string> = {};
  const qualifier = `${group.prefix}.`;
  for (const [qualifiedName, value] of Object.entries(values)) {
    if (
      qualifiedName.startsWith(qualifier) &&
      isWanted(group, qualifiedName.slice(qualifier.length))
    ) {
      visible[qualifiedName] = value;
    }
  }
  return visible;
}

function isWanted(group: PrefixImport, shortName: string): boolean {
  return group.variables.has(WILDCARD_VARIABLE) || group.variables.has(shortName);
}
