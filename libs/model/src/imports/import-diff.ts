import type {
  ImportChange,
  ImportResolution,
  InstanceImportChanges,
  InstanceImports,
} from './imports.types';
import { exporterChange, type ExporterView } from './exporter-view';

/**
 * The instances whose resolved imports differ between two resolutions, and for each, exactly which
 * exporters were added, removed or changed values (what `update.sh` is told), sorted by path.
 */
export function diffImports(
  before: ImportResolution,
  after: ImportResolution,
): InstanceImportChanges[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  const result: InstanceImportChanges[] = [];
  for (const instancePath of [...paths].sort()) {
    const changes = diffInstance(byExporter(before[instancePath]), byExporter(after[instancePath]));
    if (changes.length > 0) {
      result.push({ instancePath, changes });
    }
  }
  return result;
}

function byExporter(imports: InstanceImports | undefined): Map<string, ExporterView> {
  const views = new Map<string, ExporterView>();
  for (const entries of Object.values(imports?.byPrefix ?? {})) {
    for (const entry of entries) {
      const view = views.get(entry.exporterPath) ?? {
        component: entry.component,
        prefixes: [],
        variables: {},
      };
      view.prefixes.push(entry.prefix);
      Object.assign(view.variables, entry.variables);
      views.set(entry.exporterPath, view);
    }
  }
  return views;
}

function diffInstance(
  before: ReadonlyMap<string, ExporterView>,
  after: ReadonlyMap<string, ExporterView>,
): ImportChange[] {
  const changes: ImportChange[] = [];
  const exporters = new Set([...before.keys(), ...after.keys()]);
  for (const exporterPath of [...exporters].sort()) {
    const change = exporterChange(exporterPath, before.get(exporterPath), after.get(exporterPath));
    if (change !== undefined) {
      changes.push(change);
    }
  }
  return changes;
}
