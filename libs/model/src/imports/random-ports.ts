import type { InstanceDefinition, ResolvedGraph } from '../model.types';
import { componentOf, exportPrefixesOf, shortNameOf } from './component-lookup';
import { ImportsError } from './imports.error';
import { RANDOM_PORT_MAX, RANDOM_PORT_MIN, RANDOM_PORT_RESERVED } from './imports.constants';

/** Ports allocated to `random[port]` exports, by instance path, then qualified variable name. */
export type RandomPortAllocation = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Where `allocateRandomPorts` may pick ports. */
export interface RandomPortOptions {
  /** Defaults to `RANDOM_PORT_MIN`. */
  readonly min?: number;
  /** Defaults to `RANDOM_PORT_MAX`. */
  readonly max?: number;
  /** Ports to avoid besides `RANDOM_PORT_RESERVED`: those the host already listens on, or configured ones. */
  readonly forbidden?: readonly number[];
}

/**
 * The ports of the `random[port]` exports of the instances of one agent: an export keeps the port it
 * already has; each other one gets the lowest port of the range that is neither reserved, forbidden,
 * nor given to another export of the agent; an export the instance overrides gets none.
 * @throws ImportsError `UNKNOWN_COMPONENT` for an instance of an unknown component, and
 * `NO_FREE_PORT` when the range is exhausted.
 */
export function allocateRandomPorts(
  graph: ResolvedGraph,
  instances: readonly InstanceDefinition[],
  allocated: RandomPortAllocation = {},
  options: RandomPortOptions = {},
): RandomPortAllocation {
  const min = options.min ?? RANDOM_PORT_MIN;
  const max = options.max ?? RANDOM_PORT_MAX;
  const taken = new Set([...RANDOM_PORT_RESERVED, ...(options.forbidden ?? [])]);
  Object.values(allocated).forEach((ports) =>
    Object.values(ports).forEach((port) => taken.add(port)),
  );
  let candidate = min;
  const result: Record<string, Record<string, number>> = {};
  for (const instance of instances) {
    for (const name of randomPortVariables(graph, instance)) {
      let port = allocated[instance.path]?.[name];
      if (port === undefined) {
        while (taken.has(candidate)) {
          candidate++;
        }
        if (candidate > max) {
          throw new ImportsError(
            'NO_FREE_PORT',
            `Instance ${instance.path}: no free port in ${min}-${max} for ${name}`,
            instance.path,
          );
        }
        port = candidate;
        taken.add(port);
      }
      result[instance.path] = { ...result[instance.path], [name]: port };
    }
  }
  return result;
}

/** The qualified names of an instance's `random[port]` exports that the instance does not override. */
function randomPortVariables(graph: ResolvedGraph, instance: InstanceDefinition): string[] {
  const component = componentOf(graph, instance);
  return component.exports
    .filter(
      (variable) =>
        variable.random === 'port' &&
        instance.overriddenExports[variable.name] === undefined &&
        instance.overriddenExports[shortNameOf(variable.name, exportPrefixesOf(component))] ===
          undefined,
    )
    .map((variable) => variable.name);
}
