/**
 * Small builders of hand-made graphs, instances and application snapshots for the lifecycle and
 * import specs (they do not depend on the DSL parsers).
 */
import type { InstanceState, RequestableState } from './lifecycle.constants';
import type { ApplicationSnapshot, InstanceRuntimeState } from './lifecycle.types';
import type {
  ExportedVariable,
  ImportedVariable,
  InstanceDefinition,
  ResolvedComponent,
  ResolvedGraph,
} from '../model.types';

/** How a spec describes a component: exports by short (or qualified) name, imports as written in a graph. */
export interface ComponentSpec {
  readonly installer?: string;
  readonly exports?: Readonly<Record<string, string | undefined | { random: 'port' }>>;
  readonly imports?: readonly string[];
  readonly children?: readonly string[];
  readonly superComponents?: readonly string[];
  readonly facets?: readonly string[];
}

/** A resolved component from a short description; imports read `Db.port`, `Db.* (optional)`, `external Lamp.ip`. */
export function component(name: string, spec: ComponentSpec = {}): ResolvedComponent {
  const exports: ExportedVariable[] = Object.entries(spec.exports ?? {}).map(
    ([variable, value]) => {
      const qualified = variable.includes('.') ? variable : `${name}.${variable}`;
      return typeof value === 'object'
        ? { name: qualified, random: value.random }
        : { name: qualified, defaultValue: value };
    },
  );
  const installer = spec.installer ?? 'script';
  return {
    name,
    installer,
    ancestry: [name, ...(spec.superComponents ?? [])],
    facets: spec.facets ?? [],
    exports,
    imports: (spec.imports ?? []).map(parseImport),
    children: spec.children ?? [],
    isRoot: installer === 'target',
  };
}

function parseImport(written: string): ImportedVariable {
  const match = /^(external\s+)?([^.\s]+)\.(\S+)\s*(\(optional\))?$/.exec(written.trim());
  if (match === null) {
    throw new Error(`Bad import in a spec: ${written}`);
  }
  const [, external, prefix = '', variable = ''] = match;
  return {
    name: `${prefix}.${variable}`,
    prefix,
    variable,
    optional: match[4] !== undefined,
    external: external !== undefined,
  };
}

/** A resolved graph of the given components. */
export function graph(...components: ResolvedComponent[]): ResolvedGraph {
  return {
    components: Object.fromEntries(components.map((entry) => [entry.name, entry])),
    facets: [...new Set(components.flatMap((entry) => entry.facets))],
  };
}

/** An instance at a path (`/vm/app`), its name the last segment. */
export function instance(
  path: string,
  componentName: string,
  overriddenExports: Readonly<Record<string, string>> = {},
): InstanceDefinition {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const parentPath = segments.length > 1 ? `/${segments.slice(0, -1).join('/')}` : undefined;
  return {
    name: segments[segments.length - 1] ?? '',
    component: componentName,
    path,
    parentPath,
    overriddenExports,
    properties: {},
  };
}

/** A runtime entry: a state and the state wanted (by default the same, or `deployed_started` for waiting states). */
export function at(state: InstanceState, desiredState?: RequestableState): InstanceRuntimeState {
  const wanted: RequestableState =
    desiredState ??
    (state === 'not_deployed' || state === 'deployed_stopped' ? state : 'deployed_started');
  return { state, desiredState: wanted };
}

/**
 * The chain Db → App → Web on three VMs (App also hosts a War, Web hosts nothing), with the states given
 * (every other instance `not_deployed`): Db exports ip and port, App imports them and exports ip and
 * port, Web imports `App.*`.
 */
export function chainApplication(
  states: Readonly<Record<string, InstanceRuntimeState>> = {},
): ApplicationSnapshot {
  return {
    graph: graph(
      component('VM', { installer: 'target', children: ['Db', 'App', 'Web'] }),
      component('Db', { exports: { ip: undefined, port: '3306' } }),
      component('App', {
        exports: { ip: undefined, port: '8080' },
        imports: ['Db.ip', 'Db.port'],
        children: ['War'],
      }),
      component('War', { exports: { context: 'shop' } }),
      component('Web', { imports: ['App.*'] }),
    ),
    instances: [
      instance('/vm1', 'VM'),
      instance('/vm1/db', 'Db'),
      instance('/vm2', 'VM'),
      instance('/vm2/app', 'App'),
      instance('/vm2/app/war', 'War'),
      instance('/vm3', 'VM'),
      instance('/vm3/web', 'Web'),
    ],
    runtime: states,
    exports: {
      '/vm1/db': { 'Db.ip': '10.0.0.1', 'Db.port': '3306' },
      '/vm2/app': { 'App.ip': '10.0.0.2', 'App.port': '8080' },
      '/vm2/app/war': { 'War.context': 'shop' },
    },
  };
}

/** Every instance of the chain started (as after a successful "deploy and start all"). */
export function startedChain(): ApplicationSnapshot {
  const paths = ['/vm1', '/vm1/db', '/vm2', '/vm2/app', '/vm2/app/war', '/vm3', '/vm3/web'];
  return chainApplication(Object.fromEntries(paths.map((path) => [path, at('deployed_started')])));
}
