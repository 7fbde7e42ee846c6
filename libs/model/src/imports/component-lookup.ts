import type { InstanceDefinition, ResolvedComponent, ResolvedGraph } from '../model.types';
import { ImportsError } from './imports.error';

/**
 * The resolved component of an instance.
 * @throws ImportsError `UNKNOWN_COMPONENT` naming the instance and the component.
 */
export function componentOf(graph: ResolvedGraph, instance: InstanceDefinition): ResolvedComponent {
  const component = graph.components[instance.component];
  if (component === undefined) {
    throw new ImportsError(
      'UNKNOWN_COMPONENT',
      `Instance ${instance.path} is of unknown component "${instance.component}"`,
      instance.path,
    );
  }
  return component;
}

/**
 * The part of a qualified variable name after its prefix (`port` for `Db.port`). Names of components
 * and facets may contain dots, so the prefix is the longest of `prefixes` that qualifies the name;
 * without one, the name is cut at its first dot.
 */
export function shortNameOf(qualifiedName: string, prefixes: readonly string[] = []): string {
  const prefix = prefixes
    .filter((candidate) => qualifiedName.startsWith(`${candidate}.`))
    .reduce((longest, candidate) => (candidate.length > longest.length ? candidate : longest), '');
  if (prefix.length > 0) {
    return qualifiedName.slice(prefix.length + 1);
  }
  const dot = qualifiedName.indexOf('.');
  return dot < 0 ? qualifiedName : qualifiedName.slice(dot + 1);
}

/** Every name an instance of the component exports under: itself, its super components, its facets. */
export function exportPrefixesOf(component: ResolvedComponent): string[] {
  return [...component.ancestry, ...component.facets];
}
