import type { InstanceDefinition, ResolvedComponent, ResolvedGraph } from '../model.types';
import { componentOf } from './component-lookup';
import { prefixImportsOf, visibleVariables, type PrefixImport } from './prefix-imports';
import type { ExternalExport, InstanceImports, ResolvedImport } from './imports.types';
import { RecordHistory } from '../history/record-history';

/** What the index keeps of one instance: its import groups and every name it exports under. */
export interface IndexedInstance {
  readonly instance: InstanceDefinition;
  readonly groups: readonly PrefixImport[];
  /** The component, its super components and its facets: the prefixes it exports under. */
  readonly exportNames: ReadonlySet<string>;
}

const EXPORT_NAMES = new WeakMap<ResolvedComponent, ReadonlySet<string>>();

/** Every name instances of a component export under, computed once per (immutable) component. */
function exportNamesOf(component: ResolvedComponent): ReadonlySet<string> {
  let names = EXPORT_NAMES.get(component);
  if (names === undefined) {
    names = new Set([...component.ancestry, ...component.facets]);
    EXPORT_NAMES.set(component, names);
  }
  return names;
}

/** An importer only counts exporters other than itself, so only these counts matter to it. */
const COUNT_THAT_MATTERS = 2;

/**
 * An index of an application's imports kept up to date one change at a time: which importers
 * import each prefix (fixed by the model), and which started instances and bound applications'
 * exports each prefix has now. Completeness and one instance's imports are answered from it
 * without resolving the whole application.
 * @throws ImportsError `UNKNOWN_COMPONENT` (constructor) when an instance's component is not in the graph.
 */
export class ImportIndex {
  private readonly byPath = new Map<string, IndexedInstance>();
  private readonly localImporters = new Map<string, string[]>();
  private readonly externalImporters = new Map<string, string[]>();
  /** Started instances by every name they export under. */
  private readonly startedByName = new Map<string, Set<string>>();
  private readonly started = new Set<string>();
  private readonly values: Map<string, Readonly<Record<string, string>>>;
  private externalByPrefix = new Map<string, ExternalExport[]>();
  private externalList: readonly ExternalExport[] | undefined;
  private readonly valuesHistory: RecordHistory<Readonly<Record<string, string>>>;

  constructor(
    graph: ResolvedGraph,
    instances: readonly InstanceDefinition[],
    exports: Readonly<Record<string, Readonly<Record<string, string>>>>,
    external: readonly ExternalExport[] | undefined,
  ) {
    this.values = new Map(Object.entries(exports));
    this.valuesHistory = new RecordHistory(this.values);
    for (const instance of instances) {
      const component = componentOf(graph, instance);
      const groups = prefixImportsOf(component);
      const exportNames = exportNamesOf(component);
      this.byPath.set(instance.path, { instance, groups, exportNames });
      for (const group of groups) {
        const importers = group.isExternal ? this.externalImporters : this.localImporters;
        const paths = importers.get(group.prefix) ?? [];
        paths.push(instance.path);
        importers.set(group.prefix, paths);
      }
    }
    this.setExternal(external);
  }

  /** The indexed instance at a path, undefined when it is not an instance of the application. */
  entryOf(path: string): IndexedInstance | undefined {
    return this.byPath.get(path);
  }

  /** True when the instance at a path exports (is started), as far as the index was told. */
  isStarted(path: string): boolean {
    return this.started.has(path);
  }

  /**
   * Records that an instance started or stopped exporting.
   * @returns the importers whose completeness may have changed.
   */
  setStarted(path: string, isStarted: boolean): string[] {
    const entry = this.byPath.get(path);
    if (entry === undefined || this.started.has(path) === isStarted) {
      return [];
    }
    if (isStarted) {
      this.started.add(path);
    } else {
      this.started.delete(path);
    }
    const affected: string[] = [];
    for (const name of entry.exportNames) {
      const exporters = this.startedByName.get(name) ?? new Set<string>();
      const before = Math.min(exporters.size, COUNT_THAT_MATTERS);
      if (isStarted) {
        exporters.add(path);
      } else {
        exporters.delete(path);
      }
      this.startedByName.set(name, exporters);
      if (Math.min(exporters.size, COUNT_THAT_MATTERS) !== before) {
        // A loop, not push(...): a prefix may have more importers than a call takes arguments.
        for (const importer of this.localImporters.get(name) ?? []) {
          affected.push(importer);
        }
      }
    }
    return affected;
  }

  /** The values an instance exports (whatever its state), by qualified name. */
  exportsOf(path: string): Readonly<Record<string, string>> {
    return this.values.get(path) ?? {};
  }

  /** Replaces the values an instance exports (they never change completeness). */
  setExports(path: string, values: Readonly<Record<string, string>>): void {
    this.valuesHistory.willChange(path);
    this.values.set(path, values);
  }

  /**
   * Every instance's exported values as they stand now, built when the returned function is first
   * called (see `RecordHistory`): taking them costs nothing per instance.
   */
  takeExports(): () => Readonly<Record<string, Readonly<Record<string, string>>>> {
    return this.valuesHistory.take();
  }

  /** The bound applications' exports, as last set. */
  get external(): readonly ExternalExport[] | undefined {
    return this.externalList;
  }

  /**
   * Replaces the bound applications' exports.
   * @returns the importers whose completeness may have changed.
   */
  setExternal(external: readonly ExternalExport[] | undefined): string[] {
    const before = this.externalByPrefix;
    this.externalList = external;
    this.externalByPrefix = new Map();
    for (const entry of external ?? []) {
      const entries = this.externalByPrefix.get(entry.prefix) ?? [];
      entries.push(entry);
      this.externalByPrefix.set(entry.prefix, entries);
    }
    const prefixes = new Set([...before.keys(), ...this.externalByPrefix.keys()]);
    return [...prefixes]
      .filter((prefix) => before.has(prefix) !== this.externalByPrefix.has(prefix))
      .flatMap((prefix) => this.externalImporters.get(prefix) ?? []);
  }

  /** The importers that import, locally, any of the given prefixes (each once). */
  localImportersOf(prefixes: Iterable<string>): Set<string> {
    return importersOf(this.localImporters, prefixes);
  }

  /** The importers that import any of the given prefixes from bound applications (each once). */
  externalImportersOf(prefixes: Iterable<string>): Set<string> {
    return importersOf(this.externalImporters, prefixes);
  }

  /** True when every mandatory prefix the instance imports has an exporter other than itself. */
  isComplete(path: string): boolean {
    const entry = this.byPath.get(path);
    return (entry?.groups ?? []).every(
      (group) => group.isOptional || this.exporterCount(group, path) > 0,
    );
  }

  /** The imports of one instance as the index stands, as `resolveImports` gives them. */
  resolve(path: string): InstanceImports | undefined {
    const entry = this.byPath.get(path);
    if (entry === undefined) {
      return undefined;
    }
    const byPrefix: Record<string, readonly ResolvedImport[]> = {};
    const missingPrefixes: string[] = [];
    for (const group of entry.groups) {
      const entries = group.isExternal ? this.externalEntries(group) : this.localEntries(group);
      byPrefix[group.prefix] = entries.filter((resolved) => resolved.exporterPath !== path);
      if (!group.isOptional && byPrefix[group.prefix]?.length === 0) {
        missingPrefixes.push(group.prefix);
      }
    }
    return {
      instancePath: path,
      byPrefix,
      isComplete: missingPrefixes.length === 0,
      missingPrefixes,
    };
  }

  private exporterCount(group: PrefixImport, importerPath: string): number {
    if (group.isExternal) {
      return this.externalByPrefix.get(group.prefix)?.length ?? 0;
    }
    const exporters = this.startedByName.get(group.prefix);
    return (exporters?.size ?? 0) - (exporters?.has(importerPath) === true ? 1 : 0);
  }

  private localEntries(group: PrefixImport): ResolvedImport[] {
    return [...(this.startedByName.get(group.prefix) ?? [])]
      .sort((a, b) => a.localeCompare(b))
      .map((exporterPath) => ({
        exporterPath,
        component: this.byPath.get(exporterPath)?.instance.component ?? '',
        prefix: group.prefix,
        external: false,
        variables: visibleVariables(group, this.exportsOf(exporterPath)),
      }));
  }

  private externalEntries(group: PrefixImport): ResolvedImport[] {
    return (this.externalByPrefix.get(group.prefix) ?? [])
      .map((entry) => ({
        exporterPath: `${entry.application}:${entry.instancePath}`,
        component: entry.prefix,
        prefix: group.prefix,
        external: true,
        variables: visibleVariables(group, entry.values),
      }))
      .sort((a, b) => a.exporterPath.localeCompare(b.exporterPath));
  }
}

function importersOf(
  importersByPrefix: ReadonlyMap<string, readonly string[]>,
  prefixes: Iterable<string>,
): Set<string> {
  const importers = new Set<string>();
  for (const prefix of prefixes) {
    for (const path of importersByPrefix.get(prefix) ?? []) {
      importers.add(path);
    }
  }
  return importers;
}
