/**
 * fast-check arbitraries of small random applications (components importing each other, facets,
 * self-imports, bound applications' exports) and of random lifecycle events, for the property specs
 * that compare the incremental engine and import index with full resolution.
 */
import fc from 'fast-check';
import type { ExternalExport } from '../imports';
import type { ResolvedComponent } from '../model.types';
import type { ApplicationSnapshot, LifecycleInput, LifecycleStep } from './lifecycle.types';
import type { InstanceState, RequestableState } from './lifecycle.constants';
import { component, graph, instance } from './application.spec-helper';

const SCRIPT_COMPONENTS = ['A', 'B', 'C', 'D'] as const;
const PREFIXES = [...SCRIPT_COMPONENTS, 'F'] as const;
const VALUES = ['1', '2'] as const;

interface ComponentDraft {
  readonly exportsIp: boolean;
  readonly hasFacet: boolean;
  readonly imports: readonly string[];
}

const importArbitrary = fc
  .record({
    isExternal: fc.boolean(),
    prefix: fc.constantFrom(...PREFIXES),
    variable: fc.constantFrom('ip', 'port', '*'),
    isOptional: fc.boolean(),
  })
  .map(({ isExternal, prefix, variable, isOptional }) =>
    isExternal
      ? `external Ext.${variable}`
      : `${prefix}.${variable}${isOptional ? ' (optional)' : ''}`,
  );

const componentArbitrary: fc.Arbitrary<ComponentDraft> = fc.record({
  exportsIp: fc.boolean(),
  hasFacet: fc.boolean(),
  imports: fc.uniqueArray(importArbitrary, { maxLength: 3 }),
});

/** An instance below an earlier one (or a new root VM), of one of the script components. */
const placementArbitrary = fc.record({
  parent: fc.nat(),
  component: fc.constantFrom(...SCRIPT_COMPONENTS),
  isUnderRoot: fc.boolean(),
});

function scriptComponents(drafts: readonly ComponentDraft[]): ResolvedComponent[] {
  return SCRIPT_COMPONENTS.map((name, index) => {
    const draft = drafts[index] ?? { exportsIp: false, hasFacet: false, imports: [] };
    return component(name, {
      exports: {
        port: '80',
        ...(draft.exportsIp ? { ip: undefined } : {}),
        ...(draft.hasFacet ? { 'F.ip': undefined } : {}),
      },
      facets: draft.hasFacet ? ['F'] : [],
      imports: draft.imports,
      children: [...SCRIPT_COMPONENTS],
    });
  });
}

function buildApplication(
  drafts: readonly ComponentDraft[],
  roots: number,
  placements: readonly { parent: number; component: string; isUnderRoot: boolean }[],
): ApplicationSnapshot {
  const instances = Array.from({ length: roots }, (_, index) => instance(`/vm${index}`, 'VM'));
  const exports: Record<string, Record<string, string>> = {};
  placements.forEach((placement, index) => {
    const candidates = placement.isUnderRoot ? instances.slice(0, roots) : instances;
    const parent = candidates[placement.parent % candidates.length]?.path ?? '/vm0';
    const path = `${parent}/${placement.component.toLowerCase()}${index}`;
    instances.push(instance(path, placement.component));
    exports[path] = {
      [`${placement.component}.port`]: '80',
      [`${placement.component}.ip`]: `10.0.0.${index}`,
      'F.ip': `10.1.0.${index}`,
    };
  });
  return {
    graph: graph(
      component('VM', { installer: 'target', children: [...SCRIPT_COMPONENTS] }),
      ...scriptComponents(drafts),
    ),
    instances,
    runtime: {},
    exports,
  };
}

/** A random application: up to 3 VM roots and 9 script instances below them. */
export const applicationArbitrary: fc.Arbitrary<ApplicationSnapshot> = fc
  .tuple(
    fc.array(componentArbitrary, { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.array(placementArbitrary, { minLength: 1, maxLength: 9 }),
  )
  .map(([drafts, roots, placements]) => buildApplication(drafts, roots, placements));

/** A random external export list (bound applications' started exporters of `Ext`). */
export const externalArbitrary: fc.Arbitrary<ExternalExport[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 2 }), { maxLength: 2 })
  .chain((indexes) =>
    fc.tuple(...indexes.map(() => fc.constantFrom(...VALUES))).map((values) =>
      indexes.map((index, position) => ({
        application: `bound${index}`,
        prefix: 'Ext',
        instancePath: `/ext${index}`,
        values: { 'Ext.ip': values[position] ?? '1', 'Ext.port': '443' },
      })),
    ),
  );

/** What to do next, with indexes resolved against the application and the steps pending then. */
export type EventDraft =
  | {
      readonly kind: 'request';
      readonly at: number;
      readonly state: RequestableState;
      readonly isSubtree: boolean;
    }
  | { readonly kind: 'succeed' | 'fail'; readonly at: number }
  | { readonly kind: 'exports'; readonly at: number; readonly value: string }
  | { readonly kind: 'external'; readonly external: readonly ExternalExport[] }
  | { readonly kind: 'agent-lost' | 'agent-alive'; readonly at: number };

const requestDraft = fc.record({
  kind: fc.constant('request' as const),
  at: fc.nat(),
  // Mostly "start": applications get somewhere, and imports come and go.
  state: fc.constantFrom<RequestableState>(
    'deployed_started',
    'deployed_started',
    'deployed_started',
    'deployed_stopped',
    'not_deployed',
  ),
  isSubtree: fc.boolean(),
});

/** Random events, weighted towards step results so that applications get somewhere. */
export const eventArbitrary: fc.Arbitrary<EventDraft> = fc.oneof(
  { weight: 3, arbitrary: requestDraft },
  { weight: 14, arbitrary: fc.record({ kind: fc.constant('succeed' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('exports' as const),
      at: fc.nat(),
      value: fc.constantFrom(...VALUES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('external' as const), external: externalArbitrary }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('agent-lost' as const, 'agent-alive' as const),
      at: fc.nat(),
    }),
  },
);

/** The state an instance is in while a step of this kind runs. */
const RUNNING_STATE: Readonly<Record<LifecycleStep['kind'], InstanceState>> = {
  deploy: 'deploying',
  start: 'starting',
  stop: 'stopping',
  undeploy: 'undeploying',
  update: 'deployed_started',
};

/** The steps still running in an application (a lost agent or a request may have overtaken some). */
export function stillRunning(
  application: ApplicationSnapshot,
  steps: readonly LifecycleStep[],
): LifecycleStep[] {
  return steps.filter(
    (step) =>
      (application.runtime[step.instancePath]?.state ?? 'not_deployed') ===
      RUNNING_STATE[step.kind],
  );
}

/**
 * The lifecycle input an event draft stands for, given the application and the steps running now
 * (see `stillRunning`); undefined when it stands for nothing (no step running, no agent to come back).
 */
export function inputOf(
  draft: EventDraft,
  application: ApplicationSnapshot,
  running: readonly LifecycleStep[],
): LifecycleInput | undefined {
  const paths = application.instances.map((entry) => entry.path);
  const pathAt = (at: number, among: readonly string[] = paths): string | undefined =>
    among[at % Math.max(1, among.length)];
  switch (draft.kind) {
    case 'request': {
      const instancePath = pathAt(draft.at) ?? '/vm0';
      const scope = draft.isSubtree ? 'subtree' : 'instance';
      return { type: 'request', request: { instancePath, targetState: draft.state, scope } };
    }
    case 'succeed':
    case 'fail':
      return stepResultOf(draft.kind, running[draft.at % Math.max(1, running.length)]);
    case 'exports': {
      const instancePath = pathAt(draft.at) ?? '/vm0';
      const values = { ...(application.exports[instancePath] ?? {}) };
      for (const name of Object.keys(values).filter((key) => key.endsWith('.ip'))) {
        values[name] = `${values[name] ?? ''}-${draft.value}`;
      }
      return { type: 'exports-changed', instancePath, values };
    }
    case 'external':
      return { type: 'external-exports-changed', external: draft.external };
    case 'agent-lost': {
      const instancePath = pathAt(draft.at);
      return instancePath === undefined ? undefined : { type: 'agent-lost', instancePath };
    }
    case 'agent-alive': {
      const lost = paths.filter((path) => application.runtime[path]?.state === 'problem');
      const instancePath = pathAt(draft.at, lost);
      return instancePath === undefined ? undefined : { type: 'agent-alive', instancePath };
    }
  }
}

function stepResultOf(
  kind: 'succeed' | 'fail',
  step: LifecycleStep | undefined,
): LifecycleInput | undefined {
  if (step === undefined) {
    return undefined;
  }
  const { instancePath, kind: stepKind } = step;
  return kind === 'succeed'
    ? { type: 'step-succeeded', instancePath, step: stepKind }
    : {
        type: 'step-failed',
        instancePath,
        step: stepKind,
        exitCode: 1,
        logTail: 'boom',
        at: 'then',
      };
}
