import type {
  ImportChange,
  ImportResolution,
  InstanceImportChanges,
  InstanceImports,
} from './imports.types';

/** Everything one exporter gives one importer, all prefixes merged. */
interface ExporterView {
  readonly component: string;
  readonly prefixes: string[];
  readonly variables: Record<string, string>;
}

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
    const old = before.get(exporterPath);
    const current = after.get(exporterPath);
    if (current === undefined && old !== undefined) {
      changes.push(change('removed', exporterPath, old, changedNames(old.variables, {})));
    } else if (current !== undefined && old === undefined) {
      changes.push(change('added', exporterPath, current, changedNames({}, current.variables)));
    } else if (current !== undefined && old !== undefined) {
      const names = changedNames(old.variables, current.variables);
      if (names.length > 0) {
        changes.push(change('changed', exporterPath, current, names));
      }
    }
  }
  return changes;
}

function change(
  kind: ImportChange['kind'],
  exporterPath: string,
  view: ExporterView,
  changedVariables: string[],
): ImportChange {
  return {
    kind,
    exporterPath,
    component: view.component,
    updateStatus: kind === 'removed' ? 'DEPLOYED_STOPPED' : 'DEPLOYED_STARTED',
    prefixes: [...new Set(view.prefixes)].sort(),
    variables: view.variables,
    changedVariables,
  };
}

function changedNames(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
