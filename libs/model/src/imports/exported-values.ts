import { IP_VARIABLE } from '../dsl/dsl.constants';
import type { ExportedVariable, InstanceDefinition, ResolvedGraph } from '../model.types';
import { componentOf, exportPrefixesOf, shortNameOf } from './component-lookup';
import type { ExportRuntimeValues, InstanceExports } from './imports.types';

/**
 * The values an instance exports: the graph's defaults, overridden by the instance definition
 * (by qualified or short name), with `ip` and `random[port]` values supplied by the agent, and the
 * `$(ROBOCONF_...)` placeholders replaced.
 * @throws ImportsError `UNKNOWN_COMPONENT` when the instance's component is not in the graph.
 */
export function computeInstanceExports(
  graph: ResolvedGraph,
  instance: InstanceDefinition,
  runtime: ExportRuntimeValues = {},
): InstanceExports {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const component = componentOf(graph, instance);
  for (const variable of component.exports) {
    const value = valueOf(
      variable,
      shortNameOf(variable.name, exportPrefixesOf(component)),
      instance,
      runtime,
    );
    if (value === undefined) {
      missing.push(variable.name);
    } else {
      values[variable.name] = replacePlaceholders(value, instance);
    }
  }
  return { instancePath: instance.path, component: instance.component, values, missing };
}

function valueOf(
  variable: ExportedVariable,
  shortName: string,
  instance: InstanceDefinition,
  runtime: ExportRuntimeValues,
): string | undefined {
  const overridden =
    instance.overriddenExports[variable.name] ?? instance.overriddenExports[shortName];
  if (overridden !== undefined) {
    return overridden;
  }
  if (variable.random === 'port') {
    const port = runtime.randomPorts?.[variable.name] ?? runtime.randomPorts?.[shortName];
    return port === undefined ? undefined : String(port);
  }
  if (shortName === IP_VARIABLE && runtime.ip !== undefined) {
    return runtime.ip;
  }
  return variable.defaultValue;
}

/** The `$(ROBOCONF_...)` placeholders an exported value may embed, as Roboconf computes them. */
export function instancePlaceholders(
  instance: InstanceDefinition,
): Readonly<Record<string, string>> {
  const segments = instance.path.split('/').filter((segment) => segment.length > 0);
  const clean = (parts: readonly string[]): string =>
    parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return {
    ROBOCONF_INSTANCE_NAME: instance.name,
    ROBOCONF_INSTANCE_PATH: instance.path,
    ROBOCONF_CLEAN_INSTANCE_PATH: clean(segments),
    ROBOCONF_CLEAN_REVERSED_INSTANCE_PATH: clean([...segments].reverse()),
    ROBOCONF_COMPONENT_NAME: instance.component,
  };
}

function replacePlaceholders(value: string, instance: InstanceDefinition): string {
  const placeholders = instancePlaceholders(instance);
  return value.replace(
    /\$\((ROBOCONF_[A-Z_]+)\)/g,
    (whole, name: string) => placeholders[name] ?? whole,
  );
}
