import type { ImportChange } from './imports.types';

/** Everything one exporter gives one importer, all prefixes merged. */
export interface ExporterView {
  readonly component: string;
  readonly prefixes: string[];
  readonly variables: Record<string, string>;
}

/**
 * What changed for one importer when one exporter went from `old` to `current` (undefined: the
 * importer did not see it): `added`, `removed`, `changed` values, or undefined when nothing changed.
 */
export function exporterChange(
  exporterPath: string,
  old: ExporterView | undefined,
  current: ExporterView | undefined,
): ImportChange | undefined {
  if (current === undefined && old !== undefined) {
    return change('removed', exporterPath, old, changedNames(old.variables, {}));
  }
  if (current !== undefined && old === undefined) {
    return change('added', exporterPath, current, changedNames({}, current.variables));
  }
  if (current !== undefined && old !== undefined) {
    const names = changedNames(old.variables, current.variables);
    return names.length > 0 ? change('changed', exporterPath, current, names) : undefined;
  }
  return undefined;
}

/** Plain code-unit order, the order `Array.prototype.sort` gives strings by default. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
