import { Injectable } from '@nestjs/common';
import {
  computeInstanceExports,
  type ApplicationTemplate,
  type InstanceRuntimeState,
  type InstanceState,
  type RequestableState,
} from '@flotilla/model';
import type { EntityManager } from 'typeorm';
import { DmError } from '../../errors';
import {
  definitionOf,
  rootPathOf,
  rowFingerprint,
  type ApplicationState,
  type InstanceRecord,
  type StoredFailure,
} from './application-state';
import { BoundExportsRepository } from './bound-exports.repository';

interface ApplicationRow {
  id: string;
  name: string;
  template_id: string;
  model: ApplicationTemplate;
}

interface InstanceRow {
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

/**
 * Loads and saves an application's lifecycle snapshot: the instances table (states, exports,
 * failure), `instance_runtimes` (the state to go back to) and the template's model. `load` locks
 * the application row so that one input at a time changes an application.
 */
@Injectable()
export class ApplicationStateRepository {
  constructor(private readonly boundExports: BoundExportsRepository) {}

  /** @throws DmError NOT_FOUND when no application has that name. */
  async loadByName(name: string, manager: EntityManager): Promise<ApplicationState> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM applications WHERE name = $1`,
      [name],
    );
    if (rows[0] === undefined) {
      throw new DmError('NOT_FOUND', `No application named ${name}`, { application: name });
    }
    return this.load(rows[0].id, manager);
  }

  /** Loads (and locks) one application by id, with the exports of the applications bound to it. */
  async load(id: string, manager: EntityManager): Promise<ApplicationState> {
    const [application]: ApplicationRow[] = await manager.query(
      `SELECT a.id, a.name, a.template_id, t.model FROM applications a
       JOIN templates t ON t.id = a.template_id WHERE a.id = $1 FOR UPDATE OF a`,
      [id],
    );
    if (application === undefined) {
      throw new DmError('NOT_FOUND', `No application with id ${id}`, { application: id });
    }
    const rows: InstanceRow[] = await manager.query(
      `SELECT i.id, i.path, i.component, i.parent_id, i.agent_name, i.desired_state,
         i.actual_state, i.exports, i.last_failure, r.previous_stable_state
       FROM instances i LEFT JOIN instance_runtimes r ON r.instance_id = i.id
       WHERE i.application_id = $1 ORDER BY length(i.path), i.path`,
      [id],
    );
    const addresses: Array<{ path: string; addresses: string | null }> = await manager.query(
      `SELECT i.path, a.host_facts->>'addresses' AS addresses FROM instances i
       JOIN agents a ON a.name = i.agent_name
       WHERE i.application_id = $1 AND i.parent_id IS NULL`,
      [id],
    );
    const ipByRoot = new Map(addresses.map((row) => [row.path, firstIpv4(row.addresses)]));
    const state = toState(application, rows, ipByRoot);
    const external = await this.boundExports.exportsBoundTo(id, manager);
    return { ...state, snapshot: { ...state.snapshot, external }, persisted: persistedOf(rows) };
  }

  /**
   * Writes the instance rows whose state, desired state, exports, failure or previous stable state
   * differ from what was loaded (every row of a state not loaded), in two statements whatever their
   * number: a reaction changes a few instances of an application that may hold thousands.
   */
  async save(state: ApplicationState, manager: EntityManager): Promise<void> {
    const rows = changedRows(state);
    if (rows.length === 0) {
      return;
    }
    const column = <K extends keyof ChangedRow>(key: K): Array<ChangedRow[K]> =>
      rows.map((row) => row[key]);
    await manager.query(
      `UPDATE instances AS i SET actual_state = u.actual_state::actual_state,
         desired_state = u.desired_state::desired_state, exports = u.exports::jsonb,
         last_failure = u.last_failure::jsonb, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
         AS u(id, actual_state, desired_state, exports, last_failure)
       WHERE i.id = u.id`,
      [
        column('id'),
        column('actualState'),
        column('desiredState'),
        column('exports'),
        column('failure'),
      ],
    );
    await manager.query(
      `INSERT INTO instance_runtimes (instance_id, previous_stable_state)
       SELECT u.id, u.previous::actual_state FROM unnest($1::uuid[], $2::text[]) AS u(id, previous)
       ON CONFLICT (instance_id) DO UPDATE SET previous_stable_state = EXCLUDED.previous_stable_state`,
      [column('id'), column('previousStableState')],
    );
  }

  /** The id of every application, for the reconciler's resume at start. */
  async listIds(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM applications`);
    return rows.map((row) => row.id);
  }
}

/** One instance row to write, its JSON columns serialized. */
interface ChangedRow {
  readonly id: string;
  readonly actualState: string;
  readonly desiredState: string;
  readonly exports: string;
  readonly failure: string | null;
  readonly previousStableState: string | null;
}

function changedRows(state: ApplicationState): ChangedRow[] {
  const { runtime, exports } = state.snapshot;
  const rows: ChangedRow[] = [];
  for (const instance of state.instances) {
    const current = runtime[instance.path];
    const values = {
      actualState: current?.state ?? 'not_deployed',
      desiredState: current?.desiredState ?? 'not_deployed',
      exports: exports[instance.path] ?? {},
      failure: current?.failure ?? null,
      previousStableState: current?.previousStableState ?? null,
    };
    if (state.persisted?.get(instance.path) !== rowFingerprint(values)) {
      rows.push({
        ...values,
        id: instance.id,
        exports: JSON.stringify(values.exports),
        failure: values.failure === null ? null : JSON.stringify(values.failure),
      });
    }
  }
  return rows;
}

function persistedOf(rows: readonly InstanceRow[]): Map<string, string> {
  return new Map(
    rows.map((row) => [
      row.path,
      rowFingerprint({
        actualState: row.actual_state,
        desiredState: row.desired_state,
        exports: row.exports,
        failure: row.last_failure,
        previousStableState: row.previous_stable_state,
      }),
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
function firstIpv4(addresses: string | null): string | undefined {
  return (addresses ?? '').split(',').find((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address));
}

/**
 * The application as the reconciler sees it. An instance's `ip` export is its host's address (the
 * first IPv4 address its root's agent reported when it enrolled); values the agent reported after
 * a step win over computed ones.
 */
function toState(
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
