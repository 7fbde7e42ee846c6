/**
 * Times the lifecycle reactor on synthetic applications of growing size: a chain Db → App → Web
 * (App hosting a War) spread over VMs. Run:
 * `node --conditions=flotilla-source -r ts-node/register/transpile-only bench/lifecycle/run.ts`
 */
import { performance } from 'node:perf_hooks';
import {
  planRequest,
  react,
  type ApplicationSnapshot,
  type ImportedVariable,
  type InstanceDefinition,
  type LifecycleRequest,
  type ResolvedComponent,
} from '@flotilla/model';

/** Host counts to time (each host carries one Db, App + War, or Web). */
const HOST_COUNTS = [30, 90, 150];
/** Runs per size; the fastest is reported (the machine is shared). */
const RUNS = 3;

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
  const parentPath = path.lastIndexOf('/') > 0 ? path.slice(0, path.lastIndexOf('/')) : undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    name,
    component: componentName,
    path,
    parentPath,
    overriddenExports: {},
    properties: {},
  };
}

function application(hosts: number): ApplicationSnapshot {
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
  const graph = {
    components: {
      VM: component('VM', { installer: 'target', isRoot: true, children: tiers }),
      Db: component('Db', { exports: [{ name: 'Db.ip' }, { name: 'Db.port' }] }),
      App: component('App', {
        exports: [{ name: 'App.ip' }, { name: 'App.port' }],
        imports: [mandatory('Db', 'ip'), mandatory('Db', 'port')],
        children: ['War'],
      }),
      War: component('War'),
      Web: component('Web', { imports: [mandatory('App', '*')] }),
    },
    facets: [],
  };
  return { graph, instances, runtime: {}, exports };
}

function fastest(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

for (const hosts of HOST_COUNTS) {
  const app = application(hosts);
  const startAll: LifecycleRequest[] = app.instances
    .filter((entry) => entry.parentPath === undefined)
    .map((entry) => ({
      instancePath: entry.path,
      targetState: 'deployed_started',
      scope: 'subtree',
    }));
  const plan = planRequest(app, startAll);
  const planMs = fastest(() => planRequest(app, startAll));
  const stopDb = { instancePath: '/vm0/db', targetState: 'deployed_stopped' } as const;
  const reaction = react(plan.application, { type: 'request', request: stopDb });
  const reactMs = fastest(() => react(plan.application, { type: 'request', request: stopDb }));
  console.log(
    `${app.instances.length} instances: start-all plan ${plan.steps.length} steps in ` +
      `${planMs.toFixed(0)} ms (${(planMs / plan.steps.length).toFixed(2)} ms per step); ` +
      `one Db stop reacts in ${reactMs.toFixed(1)} ms with ${reaction.steps.length} steps`,
  );
}
