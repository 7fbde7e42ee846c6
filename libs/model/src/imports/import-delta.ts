import { byCodeUnits, exporterChange, type ExporterView } from './exporter-view';
import type { ImportIndex, IndexedInstance } from './import-index';
import { visibleVariables, type PrefixImport } from './prefix-imports';
import type { ExternalExport, ImportChange, InstanceImportChanges } from './imports.types';

/** One local exporter as it stood at a moment: whether it exported (was started), and its values. */
export interface ExporterSide {
  readonly isStarted: boolean;
  readonly values: Readonly<Record<string, string>>;
}

/** A local exporter that may have changed since a moment, with how it stood then. */
export interface TouchedExporter {
  readonly path: string;
  readonly before: ExporterSide;
}

/** What may have changed since a moment: some local exporters, and maybe the bound applications' exports. */
export interface ImportDeltaInput {
  readonly touched: Iterable<TouchedExporter>;
  /** The bound applications' exports at that moment; absent when they did not change. */
  readonly externalBefore?: readonly ExternalExport[];
  /** Only the importers for which this is true are examined (the others' changes are of no use). */
  readonly isCandidate: (importerPath: string) => boolean;
}

/**
 * The import changes since a moment, as `diffImports` of the resolutions then and now would give
 * them for the candidate importers, computed from the touched exporters only: the cost follows the
 * importers of what changed, not the size of the application.
 */
export function importChangesSince(
  index: ImportIndex,
  input: ImportDeltaInput,
): InstanceImportChanges[] {
  const changes = new Map<string, ImportChange[]>();
  const add = (importerPath: string, change: ImportChange | undefined): void => {
    if (change !== undefined) {
      const list = changes.get(importerPath) ?? [];
      list.push(change);
      changes.set(importerPath, list);
    }
  };
  for (const touched of input.touched) {
    localChanges(index, touched, input.isCandidate, add);
  }
  if (input.externalBefore !== undefined) {
    externalChanges(index, input.externalBefore, input.isCandidate, add);
  }
  return [...changes]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([instancePath, list]) => ({
      instancePath,
      changes: list.sort((a, b) => byCodeUnits(a.exporterPath, b.exporterPath)),
    }));
}

function localChanges(
  index: ImportIndex,
  { path, before }: TouchedExporter,
  isCandidate: (importerPath: string) => boolean,
  add: (importerPath: string, change: ImportChange | undefined) => void,
): void {
  const exporter = index.entryOf(path);
  const after: ExporterSide = { isStarted: index.isStarted(path), values: index.exportsOf(path) };
  if (exporter === undefined || (!before.isStarted && !after.isStarted)) {
    return;
  }
  for (const importerPath of index.localImportersOf(exporter.exportNames)) {
    const groups = index.entryOf(importerPath)?.groups ?? [];
    if (importerPath !== path && isCandidate(importerPath)) {
      const change = exporterChange(
        path,
        localView(groups, exporter, before),
        localView(groups, exporter, after),
      );
      add(importerPath, change);
    }
  }
}

function localView(
  groups: readonly PrefixImport[],
  exporter: IndexedInstance,
  side: ExporterSide,
): ExporterView | undefined {
  if (!side.isStarted) {
    return undefined;
  }
  const matching = groups.filter(
    (group) => !group.isExternal && exporter.exportNames.has(group.prefix),
  );
  return mergedView(
    exporter.instance.component,
    matching.map((group) => ({ group, values: side.values })),
  );
}

function externalChanges(
  index: ImportIndex,
  before: readonly ExternalExport[],
  isCandidate: (importerPath: string) => boolean,
  add: (importerPath: string, change: ImportChange | undefined) => void,
): void {
  const beforeByKey = byExporterKey(before);
  const afterByKey = byExporterKey(index.external ?? []);
  for (const key of new Set([...beforeByKey.keys(), ...afterByKey.keys()])) {
    const old = beforeByKey.get(key) ?? [];
    const current = afterByKey.get(key) ?? [];
    const prefixes = [...old, ...current].map((entry) => entry.prefix);
    for (const importerPath of index.externalImportersOf(prefixes)) {
      const groups = index.entryOf(importerPath)?.groups ?? [];
      if (isCandidate(importerPath)) {
        add(
          importerPath,
          exporterChange(key, externalView(groups, old), externalView(groups, current)),
        );
      }
    }
  }
}

function externalView(
  groups: readonly PrefixImport[],
  entries: readonly ExternalExport[],
): ExporterView | undefined {
  const parts = groups
    .filter((group) => group.isExternal)
    .flatMap((group) =>
      entries
        .filter((entry) => entry.prefix === group.prefix)
        .map((entry) => ({ group, values: entry.values })),
    );
  return mergedView(parts[0]?.group.prefix ?? '', parts);
}

/** One exporter's view for one importer: every matching group's prefix and visible variables merged. */
function mergedView(
  component: string,
  parts: readonly { group: PrefixImport; values: Readonly<Record<string, string>> }[],
): ExporterView | undefined {
  if (parts.length === 0) {
    return undefined;
  }
  const view: ExporterView = { component, prefixes: [], variables: {} };
  for (const { group, values } of parts) {
    view.prefixes.push(group.prefix);
    Object.assign(view.variables, visibleVariables(group, values));
  }
  return view;
}

function byExporterKey(entries: readonly ExternalExport[]): Map<string, ExternalExport[]> {
  const byKey = new Map<string, ExternalExport[]>();
  for (const entry of entries) {
    const key = `${entry.application}:${entry.instancePath}`;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  return byKey;
}
