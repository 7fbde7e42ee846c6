import type { InstanceDefinition, ResolvedComponent, ResolvedGraph } from '../model.types';
import { componentOf } from './component-lookup';
import { prefixImportsOf, visibleVariables, type PrefixImport } from './prefix-imports';
import type {
  ExternalExport,
  ImportResolution,
  InstanceImports,
  ResolvedImport,
} from './imports.types';

/** What import resolution needs: the model, which instances are started, and what they export. */
export interface ImportResolutionInput {
  readonly graph: ResolvedGraph;
  readonly instances: readonly InstanceDefinition[];
  /** Paths of the instances whose exports are published: the started ones. */
  readonly startedPaths: ReadonlySet<string>;
  /** Exported values by instance path, then by qualified name (see `computeInstanceExports`). */
  readonly exports: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Exports of the started instances of the applications bound to this one. */
  readonly external?: readonly ExternalExport[];
}

interface Exporter {
  readonly instance: InstanceDefinition;
  readonly component: ResolvedComponent;
}

/** Started exporters by every name they export under (component, super components, facets). */
type ExportersByName = ReadonlyMap<string, readonly Exporter[]>;

/**
 * The imports of every instance: for each prefix it imports, the tailored variables of every
 * started exporter (an instance never imports from itself), and whether its mandatory imports are all there.
 * @throws ImportsError `UNKNOWN_COMPONENT` when an instance's component is not in the graph.
 */
export function resolveImports(input: ImportResolutionInput): ImportResolution {
  const exporters = new Map<string, Exporter[]>();
  for (const instance of input.instances.filter((entry) => input.startedPaths.has(entry.path))) {
    const component = componentOf(input.graph, instance);
    for (const name of new Set([...component.ancestry, ...component.facets])) {
      const named = exporters.get(name) ?? [];
      named.push({ instance, component });
      exporters.set(name, named);
    }
  }
  // Importers of one component share their prefix groups: tailor each group's entries once.
  const entriesByGroup = new Map<PrefixImport, readonly ResolvedImport[]>();
  const entriesOf = (group: PrefixImport): readonly ResolvedImport[] => {
    let entries = entriesByGroup.get(group);
    if (entries === undefined) {
      entries = (
        group.isExternal
          ? externalImports(group, input.external ?? [])
          : localImports(group, exporters, input.exports)
      ).sort((a, b) => a.exporterPath.localeCompare(b.exporterPath));
      entriesByGroup.set(group, entries);
    }
    return entries;
  };
  const resolution: Record<string, InstanceImports> = {};
  for (const instance of input.instances) {
    resolution[instance.path] = resolveInstance(instance, input.graph, entriesOf);
  }
  return resolution;
}

function resolveInstance(
  instance: InstanceDefinition,
  graph: ResolvedGraph,
  entriesOf: (group: PrefixImport) => readonly ResolvedImport[],
): InstanceImports {
  const byPrefix: Record<string, readonly ResolvedImport[]> = {};
  const missingPrefixes: string[] = [];
  for (const group of prefixImportsOf(componentOf(graph, instance))) {
    // An instance never imports from itself.
    const entries = entriesOf(group).filter((entry) => entry.exporterPath !== instance.path);
    byPrefix[group.prefix] = entries;
    if (!group.isOptional && entries.length === 0) {
      missingPrefixes.push(group.prefix);
    }
  }
  return {
    instancePath: instance.path,
    byPrefix,
    isComplete: missingPrefixes.length === 0,
    missingPrefixes,
  };
}

function localImports(
  group: PrefixImport,
  exporters: ExportersByName,
  exports: ImportResolutionInput['exports'],
): ResolvedImport[] {
  return (exporters.get(group.prefix) ?? []).map((exporter) => ({
    exporterPath: exporter.instance.path,
    component: exporter.component.name,
    prefix: group.prefix,
    external: false,
    variables: visibleVariables(group, exports[exporter.instance.path] ?? {}),
  }));
}

function externalImports(
  group: PrefixImport,
  external: readonly ExternalExport[],
): ResolvedImport[] {
  return external
    .filter((entry) => entry.prefix === group.prefix)
    .map((entry) => {
      const variables = visibleVariables(group, entry.values);
      return {
        exporterPath: `${entry.application}:${entry.instancePath}`,
        component: entry.prefix,
        prefix: group.prefix,
        external: true,
        variables,
      };
    });
}
