import {
  computeInstanceExports,
  type ApplicationTemplate,
  type ExternalExport,
  type InstanceRuntimeState,
  type InstanceState,
  type RequestableState,
} from '@flotilla/model';
import { DmError } from '../../errors';
import {
  definitionOf,
  rootPathOf,
  rowFingerprint,
  type ApplicationState,
  type InstanceRecord,
  type PersistedRow,
  type StoredFailure,
} from './application-state';

/** The application row as `load` locks it. */
export interface ApplicationHead {
  id: string;
  name: string;
  template_id: string;
  /** bigint, read as text. */
  revision: string;
  /** Whether an operator bound other applications to it (Roboconf bindings). */
  is_bound: boolean;
}

/** The application row with its template's model. */
export interface ApplicationRow extends Omit<ApplicationHead, 'revision' | 'is_bound'> {
  model: ApplicationTemplate;
}

/** One instance row joined with its runtime, as the reconciler loads it. */
export interface InstanceRow {
  id: string;
  path: string;
  component: string;
  parent_id: string | null;
  agent_name: string | null;
  desired_state: RequestableState;
  actual_state: InstanceState;
  exports: Record<string, string>;
  last_failure: StoredFailure | null;
  previous_stable_state: InstanceState | null;
}

/** One instance row to write, its JSON columns serialized. */
export interface ChangedRow {
  readonly id: string;
  readonly actualState: string;
  readonly desiredState: string;
  readonly exports: string;
  readonly failure: string | null;
  readonly previousStableState: string | null;
}

/** The rows of `state` to write, and what every row holds once they are written. */
export interface RowChanges {
  readonly rows: ChangedRow[];
  readonly persisted: ReadonlyMap<string, PersistedRow>;
}

/**
 * The rows of `state` whose values differ from what was last loaded or written. An instance whose
 * runtime and exports are the very objects last fingerprinted is unchanged without a new one.
 */
export function changedRows(state: ApplicationState): RowChanges {
  const { runtime, exports } = state.snapshot;
  const rows: ChangedRow[] = [];
  const persisted = new Map<string, PersistedRow>();
  for (const instance of state.instances) {
    const current = runtime[instance.path];
    const exported = exports[instance.path];
    const known = state.persisted?.get(instance.path);
    if (known?.runtime === current && known.exports === exported && current !== undefined) {
      persisted.set(instance.path, known);
      continue;
    }
    const values = {
      actualState: current?.state ?? 'not_deployed',
      desiredState: current?.desiredState ?? 'not_deployed',
      exports: exported ?? {},
      failure: current?.failure ?? null,
      previousStableState: current?.previousStableState ?? null,
    };
    const fingerprint = rowFingerprint(values);
    persisted.set(instance.path, { fingerprint, runtime: current, exports: exported });
    if (known?.fingerprint !== fingerprint) {
      rows.push({
        ...values,
        id: instance.id,
        exports: JSON.stringify(values.exports),
        failure: values.failure === null ? null : JSON.stringify(values.failure),
      });
    }
  }
  return { rows, persisted };
}

/** The state with the bound applications' exports as now read (the same snapshot when unchanged). */
export function withExternal(
  state: ApplicationState,
  external: readonly ExternalExport[],
): ApplicationState {
  const known = state.snapshot.external ?? [];
  if (JSON.stringify(known) === JSON.stringify(external)) {
    return state;
  }
  return { ...state, snapshot: { ...state.snapshot, external } };
}

/** The template's model. @throws DmError NOT_FOUND when the template row is gone. */
export function requireModel(
  head: ApplicationHead,
  template: { model: ApplicationTemplate } | undefined,
): ApplicationTemplate {
  if (template === undefined) {
    throw new DmError('NOT_FOUND', `No template ${head.template_id} for application ${head.name}`, {
      application: head.name,
      template: head.template_id,
    });
  }
  return template.model;
}

/** The fingerprint of each loaded row, by instance path. */
export function persistedOf(rows: readonly InstanceRow[]): Map<string, PersistedRow> {
  return new Map(
    rows.map((row) => [
      row.path,
      {
        fingerprint: rowFingerprint({
          actualState: row.actual_state,
          desiredState: row.desired_state,
          exports: row.exports,
          failure: row.last_failure,
          previousStableState: row.previous_stable_state,
        }),
      },
    ]),
  );
}

function toRecord(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    path: row.path,
    component: row.component,
    parentId: row.parent_id,
    agentName: row.agent_name,
  };
}

/** The first IPv4 address of an agent's `addresses` host fact (comma-separated), if any. */
export function firstIpv4(addresses: string | null): string | undefined {
  return (addresses ?? '').split(',').find((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address));
}

/**
 * The application as the reconciler sees it. An instance's `ip` export is its host's address (the
 * first IPv4 address its root's agent reported when it enrolled); values the agent reported after
 * a step win over computed ones.
 */
export function toState(
  application: ApplicationRow,
  rows: readonly InstanceRow[],
  ipByRoot: ReadonlyMap<string, string | undefined>,
): ApplicationState {
  const fromTemplate = new Map(application.model.instances.map((entry) => [entry.path, entry]));
  const instances: InstanceRecord[] = rows.map(toRecord);
  const definitions = instances.map((record) => definitionOf(record, fromTemplate));
  const runtime: Record<string, InstanceRuntimeState> = {};
  const exports: Record<string, Record<string, string>> = {};
  rows.forEach((row) => {
    runtime[row.path] = {
      state: row.actual_state,
      desiredState: row.desired_state,
      ...(row.previous_stable_state === null
        ? {}
        : { previousStableState: row.previous_stable_state }),
      ...(row.last_failure === null ? {} : { failure: row.last_failure }),
    };
    const definition = definitionOf(toRecord(row), fromTemplate);
    const ip = ipByRoot.get(rootPathOf(row.path));
    const computed = computeInstanceExports(
      application.model.graph,
      definition,
      ip === undefined ? {} : { ip },
    ).values;
    exports[row.path] = { ...computed, ...row.exports };
  });
  return {
    id: application.id,
    name: application.name,
    templateId: application.template_id,
    template: { name: application.model.name, version: application.model.version },
    instances,
    snapshot: { graph: application.model.graph, instances: definitions, runtime, exports },
  };
}
