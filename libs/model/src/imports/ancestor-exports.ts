import type { InstanceDefinition } from '../model.types';
import { shortNameOf } from './component-lookup';
import { ImportsError } from './imports.error';
import type { AncestorExports } from './imports.types';

/**
 * The exports of an instance's ancestors, nearest first: a child's recipes see them whatever the
 * ancestors' states (a web application reads its Tomcat's port), as Roboconf's `ANCESTOR_` variables.
 * @throws ImportsError `UNKNOWN_INSTANCE` when the path, or one of its ancestors, is not an instance.
 */
export function ancestorExports(
  instances: readonly InstanceDefinition[],
  exports: Readonly<Record<string, Readonly<Record<string, string>>>>,
  instancePath: string,
): AncestorExports[] {
  const byPath = byPathOf(instances);
  const start = byPath.get(instancePath);
  if (start === undefined) {
    throw new ImportsError('UNKNOWN_INSTANCE', `No instance at ${instancePath}`, instancePath);
  }
  const result: AncestorExports[] = [];
  for (let parentPath = start.parentPath; parentPath !== undefined;) {
    const parent = byPath.get(parentPath);
    if (parent === undefined) {
      throw new ImportsError(
        'UNKNOWN_INSTANCE',
        `Instance ${instancePath} has an unknown ancestor ${parentPath}`,
        instancePath,
      );
    }
    result.push({
      instancePath: parent.path,
      component: parent.component,
      values: byShortName(parent.component, exports[parent.path] ?? {}),
    });
    parentPath = parent.parentPath;
  }
  return result;
}

/** Per instance list (never modified: a snapshot's), its instances by path, built once. */
const BY_PATH = new WeakMap<
  readonly InstanceDefinition[],
  ReadonlyMap<string, InstanceDefinition>
>();

function byPathOf(
  instances: readonly InstanceDefinition[],
): ReadonlyMap<string, InstanceDefinition> {
  let byPath = BY_PATH.get(instances);
  if (byPath === undefined) {
    byPath = new Map(instances.map((instance) => [instance.path, instance]));
    BY_PATH.set(instances, byPath);
  }
  return byPath;
}

/** Exports by short name; those qualified by the component's own name win over inherited or facet ones. */
function byShortName(
  component: string,
  qualified: Readonly<Record<string, string>>,
): Record<string, string> {
  const own = `${component}.`;
  const entries = Object.entries(qualified);
  const values: Record<string, string> = {};
  for (const [name, value] of entries.filter(([name]) => !name.startsWith(own))) {
    values[shortNameOf(name)] = value;
  }
  for (const [name, value] of entries.filter(([name]) => name.startsWith(own))) {
    values[name.slice(own.length)] = value;
  }
  return values;
}

/**
 * Ancestors' exports as recipe variables `ANCESTOR_<Component>_<variable>` (characters other than
 * letters, digits and `_` become `_`); when two ancestors share a component, the nearest wins.
 */
export function toAncestorVariables(ancestors: readonly AncestorExports[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const ancestor of [...ancestors].reverse()) {
    for (const [name, value] of Object.entries(ancestor.values)) {
      variables[`ANCESTOR_${ancestor.component}_${name}`.replace(/[^A-Za-z0-9_]/g, '_')] = value;
    }
  }
  return variables;
}
