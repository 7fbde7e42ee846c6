/**
 * The synthetic applications the lifecycle benchmark plans: the three-tier chain of the first
 * measurements, and the shape of `bench:scale` (one VM root per agent; a database on every
 * hundredth root, application servers importing the databases, workers and caches beneath).
 */
import type {
  ApplicationSnapshot,
  ImportedVariable,
  InstanceDefinition,
  ResolvedComponent,
  ResolvedGraph,
} from '@flotilla/model';

/** Every how many roots one carries a database (as `bench:scale` builds its application). */
const ROOTS_PER_DATABASE = 100;

/** The children a `bench:scale` root hosts, in order, after its database (when it has one). */
const SCALE_TIERS = ['AppServer', 'Worker', 'Cache'] as const;

function component(name: string, extra: Partial<ResolvedComponent> = {}): ResolvedComponent {
  return {
    name,
    installer: 'script',
    ancestry: [name],
    facets: [],
    exports: [],
    imports: [],
    children: [],
    isRoot: false,
    ...extra,
  };
}

function mandatory(prefix: string, variable: string): ImportedVariable {
  return { name: `${prefix}.${variable}`, prefix, variable, optional: false, external: false };
}

function node(path: string, componentName: string): InstanceDefinition {
  const slash = path.lastIndexOf('/');
  return {
    name: path.slice(slash + 1),
    component: componentName,
    path,
    parentPath: slash > 0 ? path.slice(0, slash) : undefined,
    overriddenExports: {},
    properties: {},
  };
}

function graphOf(...components: ResolvedComponent[]): ResolvedGraph {
  return {
    components: Object.fromEntries(components.map((entry) => [entry.name, entry])),
    facets: [],
  };
}

/** The chain Db → App (hosting a War) → Web, one tier per VM, `hosts` VMs. */
export function chainApplication(hosts: number): ApplicationSnapshot {
  const tiers = ['Db', 'App', 'Web'];
  const instances: InstanceDefinition[] = [];
  const exports: Record<string, Record<string, string>> = {};
  for (let host = 0; host < hosts; host++) {
    const tier = tiers[host % tiers.length] ?? 'Db';
    const path = `/vm${host}/${tier.toLowerCase()}`;
    instances.push(node(`/vm${host}`, 'VM'), node(path, tier));
    if (tier === 'App') {
      instances.push(node(`${path}/war`, 'War'));
    }
    exports[path] = { [`${tier}.ip`]: `10.0.${host >> 8}.${host & 255}`, [`${tier}.port`]: '80' };
  }
  const graph = graphOf(
    component('VM', { installer: 'target', isRoot: true, children: tiers }),
    component('Db', { exports: [{ name: 'Db.ip' }, { name: 'Db.port' }] }),
    component('App', {
      exports: [{ name: 'App.ip' }, { name: 'App.port' }],
      imports: [mandatory('Db', 'ip'), mandatory('Db', 'port')],
      children: ['War'],
    }),
    component('War'),
    component('Web', { imports: [mandatory('App', '*')] }),
  );
  return { graph, instances, runtime: {}, exports };
}

/** The application of `bench:scale`: `roots` VM roots and `total` instances in all. */
export function scaleApplication(roots: number, total: number): ApplicationSnapshot {
  const instances: InstanceDefinition[] = [];
  const exports: Record<string, Record<string, string>> = {};
  const children = total - roots;
  for (let root = 0; root < roots; root++) {
    const rootPath = `/vm${root}`;
    instances.push(node(rootPath, 'VM'));
    const count = Math.floor(children / roots) + (root < children % roots ? 1 : 0);
    const kinds: string[] = root % ROOTS_PER_DATABASE === 0 ? ['Database'] : [];
    for (let tier = 0; kinds.length < count; tier++) {
      kinds.push(SCALE_TIERS[tier % SCALE_TIERS.length] ?? 'Cache');
    }
    kinds.slice(0, count).forEach((kind, index) => {
      const path = `${rootPath}/${kind.toLowerCase()}${index}`;
      instances.push(node(path, kind));
      exports[path] = { [`${kind}.ip`]: `10.${root >> 16}.${(root >> 8) & 255}.${root & 255}` };
    });
  }
  const graph = graphOf(
    component('VM', { installer: 'target', isRoot: true, children: ['Database', ...SCALE_TIERS] }),
    component('Database', { exports: [{ name: 'Database.ip' }, { name: 'Database.port' }] }),
    component('AppServer', {
      exports: [{ name: 'AppServer.ip' }, { name: 'AppServer.port' }],
      imports: [mandatory('Database', 'ip'), mandatory('Database', 'port')],
    }),
    component('Worker'),
    component('Cache', { exports: [{ name: 'Cache.ip' }, { name: 'Cache.port' }] }),
  );
  return { graph, instances, runtime: {}, exports };
}
