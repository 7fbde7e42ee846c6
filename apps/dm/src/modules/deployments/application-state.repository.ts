import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DmError } from '../../errors';
import type { ApplicationTemplate } from '@flotilla/model';
import type { ApplicationState } from './application-state';
import {
  changedRows,
  firstIpv4,
  persistedOf,
  requireModel,
  toState,
  withExternal,
  type ApplicationHead,
  type ChangedRow,
  type InstanceRow,
} from './application-state-rows';
import { BoundExportsRepository } from './bound-exports.repository';
import { KeptApplicationStates } from './kept-application-states';

/**
 * Loads and saves an application's lifecycle snapshot: the instances table (states, exports,
 * failure), `instance_runtimes` (the state to go back to) and the template's model. `load` locks
 * the application row so that one input at a time changes an application.
 */
@Injectable()
export class ApplicationStateRepository {
  /** The state last loaded or saved per application, valid while its revision is unchanged. */
  private readonly kept = new KeptApplicationStates();

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

  /**
   * Loads (and locks) one application by id, with the exports of the applications bound to it.
   * While the application's revision is the one this repository last loaded or saved, the state
   * kept in memory is returned (with its lifecycle engine): only the bound exports are read again.
   */
  async load(id: string, manager: EntityManager): Promise<ApplicationState> {
    const [head]: ApplicationHead[] = await manager.query(
      `SELECT id, name, template_id, revision, bindings <> '{}'::jsonb AS is_bound
       FROM applications WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (head === undefined) {
      this.kept.forget(id);
      throw new DmError('NOT_FOUND', `No application with id ${id}`, { application: id });
    }
    // An application bound to none has no external exports: no need to ask.
    const external = head.is_bound ? await this.boundExports.exportsBoundTo(id, manager) : [];
    const kept = this.kept.at(head);
    if (kept !== undefined) {
      return withExternal({ ...kept, name: head.name }, external);
    }
    const state = await this.loadRows(head, manager);
    const loaded = { ...state, snapshot: { ...state.snapshot, external } };
    this.kept.keep(head.revision, loaded);
    return loaded;
  }

  /**
   * Writes the instance rows whose state, desired state, exports, failure or previous stable state
   * differ from what was loaded (every row of a state not loaded), in two statements whatever their
   * number: a reaction changes a few instances of an application that may hold thousands. The
   * state is then kept, under the revision the write gave the application.
   */
  async save(state: ApplicationState, manager: EntityManager): Promise<void> {
    const { rows, persisted } = changedRows(state);
    if (rows.length > 0) {
      await this.writeRows(rows, manager);
    }
    const [head]: Array<Pick<ApplicationHead, 'revision'>> = await manager.query(
      `SELECT revision FROM applications WHERE id = $1`,
      [state.id],
    );
    if (head !== undefined) {
      this.kept.keep(head.revision, { ...state, persisted });
    }
  }

  private async writeRows(rows: readonly ChangedRow[], manager: EntityManager): Promise<void> {
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

  private async loadRows(head: ApplicationHead, manager: EntityManager): Promise<ApplicationState> {
    const [template]: Array<{ model: ApplicationTemplate }> = await manager.query(
      `SELECT model FROM templates WHERE id = $1`,
      [head.template_id],
    );
    const rows: InstanceRow[] = await manager.query(
      `SELECT i.id, i.path, i.component, i.parent_id, i.agent_name, i.desired_state,
         i.actual_state, i.exports, i.last_failure, r.previous_stable_state
       FROM instances i LEFT JOIN instance_runtimes r ON r.instance_id = i.id
       WHERE i.application_id = $1 ORDER BY length(i.path), i.path`,
      [head.id],
    );
    const addresses: Array<{ path: string; addresses: string | null }> = await manager.query(
      `SELECT i.path, a.host_facts->>'addresses' AS addresses FROM instances i
       JOIN agents a ON a.name = i.agent_name
       WHERE i.application_id = $1 AND i.parent_id IS NULL`,
      [head.id],
    );
    const ipByRoot = new Map(addresses.map((row) => [row.path, firstIpv4(row.addresses)]));
    const application = { ...head, model: requireModel(head, template) };
    return { ...toState(application, rows, ipByRoot), persisted: persistedOf(rows) };
  }

  /** The id of every application, for the reconciler's resume at start. */
  async listIds(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM applications`);
    return rows.map((row) => row.id);
  }
}
