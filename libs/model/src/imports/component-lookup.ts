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

/** The part of a qualified variable name after its prefix (`port` for `Db.port`). */
export function shortNameOf(qualifiedName: string): string {
  const dot = qualifiedName.indexOf('.');
  return dot < 0 ? qualifiedName : qualifiedName.slice(dot + 1);
}

/** The prefix of a qualified variable name (`Db` for `Db.port`). */
export function prefixOf(qualifiedName: string): string {
  const dot = qualifiedName.indexOf('.');
  return dot < 0 ? '' : qualifiedName.slice(0, dot);
}
