import { join } from 'node:path';
import {
  ancestorExports,
  computeInstanceExports,
  findRecipeOwner,
  resolveImports,
  type InstanceDefinition,
  type LoadedTemplate,
  type ResolvedComponent,
  type ResolvedImport,
} from '@flotilla/model';
import type { ResolvedImportInstance } from '@flotilla/recipes';
import { CliError } from '../cli-error';

/** What `--import Prefix.variable=value` sets, parsed. */
export interface ImportOverride {
  readonly prefix: string;
  readonly variable: string;
  readonly value: string;
}

/** The instance a recipe test runs, with everything its environment is built from. */
export interface RecipeSubject {
  readonly component: ResolvedComponent;
  readonly instance: InstanceDefinition;
  /** The component's recipe directory (its own, or the nearest super component's). */
  readonly recipeDir: string | undefined;
  readonly exports: Readonly<Record<string, string>>;
  readonly imports: Readonly<Record<string, readonly ResolvedImportInstance[]>>;
  readonly ancestors: readonly { component: string; variables: Record<string, string> }[];
  /** Prefixes imported without `(optional)` that nothing provides. */
  readonly missingPrefixes: readonly string[];
}

/**
 * Parses `Db.ip=10.0.0.5`.
 * @throws CliError USAGE when the text is not `Prefix.variable=value`.
 */
export function parseImportOverride(text: string): ImportOverride {
  const match = /^([^.=\s]+)\.([^=\s]+)=(.*)$/.exec(text);
  if (match === null) {
    throw new CliError(
      'USAGE',
      `--import ${text}: expected Prefix.variable=value, e.g. Db.ip=10.0.0.5`,
    );
  }
  return { prefix: match[1] ?? '', variable: match[2] ?? '', value: match[3] ?? '' };
}

/** The template's first instance of the component, or a root-level one made up for the test. */
function instanceFor(template: LoadedTemplate, component: string): InstanceDefinition {
  return (
    template.instances.find((instance) => instance.component === component) ?? {
      name: component.toLowerCase(),
      component,
      path: `/${component.toLowerCase()}`,
      overriddenExports: {},
      properties: {},
    }
  );
}

function withOverrides(
  byPrefix: Readonly<Record<string, readonly ResolvedImportInstance[]>>,
  overrides: readonly ImportOverride[],
): Record<string, ResolvedImportInstance[]> {
  const imports: Record<string, ResolvedImportInstance[]> = {};
  for (const [prefix, entries] of Object.entries(byPrefix)) {
    imports[prefix] = entries.map((entry) => ({ ...entry, variables: { ...entry.variables } }));
  }
  for (const { prefix, variable, value } of overrides) {
    const entries = (imports[prefix] ??= [
      { instancePath: `/${prefix.toLowerCase()}`, variables: {} },
    ]);
    imports[prefix] = entries.map((entry) => ({
      ...entry,
      variables: { ...entry.variables, [`${prefix}.${variable}`]: value },
    }));
  }
  return imports;
}

/** Every instance's exports: the graph's defaults, the instance's overrides, `ip` = hostIp. */
function defaultExportsOf(
  template: LoadedTemplate,
  instances: readonly InstanceDefinition[],
  hostIp: string,
): Record<string, Record<string, string>> {
  const exports: Record<string, Record<string, string>> = {};
  for (const entry of instances) {
    exports[entry.path] = computeInstanceExports(template.graph, entry, { ip: hostIp }).values;
  }
  return exports;
}

function localImportsOf(
  byPrefix: Readonly<Record<string, readonly ResolvedImport[]>>,
): Record<string, ResolvedImportInstance[]> {
  const imports: Record<string, ResolvedImportInstance[]> = {};
  for (const [prefix, entries] of Object.entries(byPrefix)) {
    imports[prefix] = entries
      .filter((entry) => !entry.external)
      .map((entry) => ({ instancePath: entry.exporterPath, variables: { ...entry.variables } }));
  }
  return imports;
}

function componentOrFail(template: LoadedTemplate, name: string): ResolvedComponent {
  const component = template.graph.components[name];
  if (component === undefined) {
    const known = Object.keys(template.graph.components).sort().join(', ');
    throw new CliError(
      'USAGE',
      `Template ${template.name} has no component ${name} (it has ${known})`,
    );
  }
  return component;
}

/**
 * Builds the subject of a recipe test: every template instance is taken as started and exporting
 * its defaults (with `ip` = `hostIp`), so imports resolve as on a running application; `--import`
 * values then override what was resolved.
 * @throws CliError USAGE when the component is not in the template.
 */
export function recipeSubjectOf(
  template: LoadedTemplate,
  componentName: string,
  overrides: readonly ImportOverride[],
  hostIp: string,
): RecipeSubject {
  const component = componentOrFail(template, componentName);
  const instance = instanceFor(template, componentName);
  const instances = template.instances.includes(instance)
    ? template.instances
    : [...template.instances, instance];
  const exports = defaultExportsOf(template, instances, hostIp);
  const resolution = resolveImports({
    graph: template.graph,
    instances,
    startedPaths: new Set(instances.map((entry) => entry.path)),
    exports,
  })[instance.path];
  const byPrefix = localImportsOf(resolution?.byPrefix ?? {});
  const imports = withOverrides(byPrefix, overrides);
  const owner = findRecipeOwner(template.rootDir, component);
  return {
    component,
    instance,
    recipeDir: owner === undefined ? undefined : join(template.rootDir, 'graph', owner),
    exports: exports[instance.path] ?? {},
    imports,
    ancestors: ancestorExports(instances, exports, instance.path).map((ancestor) => ({
      component: ancestor.component,
      variables: { ...ancestor.values },
    })),
    missingPrefixes: (resolution?.missingPrefixes ?? []).filter(
      (prefix) => imports[prefix] === undefined,
    ),
  };
}
