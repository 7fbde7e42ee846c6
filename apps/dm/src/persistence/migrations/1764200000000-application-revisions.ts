import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A trigger function that gives a new revision to the applications a subquery names. */
function reviseFunction(name: string, applicationIds: string): string {
  return `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE applications SET revision = nextval('application_revisions')
        WHERE id IN (${applicationIds});
      RETURN NULL;
    END $$`;
}

/** A statement-level trigger running `fn` with the changed rows as a transition table. */
function statementTrigger(table: string, event: string, rows: string, fn: string): string {
  return `CREATE TRIGGER "${table}_${event.toLowerCase()}_revise_application" AFTER ${event}
    ON "${table}" REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`;
}

const FUNCTIONS = {
  revise_applications_of_new_instances: 'SELECT application_id FROM new_instances',
  revise_applications_of_old_instances: 'SELECT application_id FROM old_instances',
  revise_applications_of_new_runtimes: `SELECT i.application_id FROM instances i
    JOIN new_runtimes r ON r.instance_id = i.id`,
  revise_applications_of_agent: `SELECT application_id FROM instances
    WHERE agent_name = NEW.name AND parent_id IS NULL`,
};

const TRIGGERS: ReadonlyArray<readonly [table: string, event: string, rows: string, fn: string]> = [
  ['instances', 'INSERT', 'NEW TABLE AS new_instances', 'revise_applications_of_new_instances'],
  ['instances', 'UPDATE', 'NEW TABLE AS new_instances', 'revise_applications_of_new_instances'],
  ['instances', 'DELETE', 'OLD TABLE AS old_instances', 'revise_applications_of_old_instances'],
  [
    'instance_runtimes',
    'INSERT',
    'NEW TABLE AS new_runtimes',
    'revise_applications_of_new_runtimes',
  ],
  [
    'instance_runtimes',
    'UPDATE',
    'NEW TABLE AS new_runtimes',
    'revise_applications_of_new_runtimes',
  ],
];

/**
 * `applications.revision`: a new value from the `application_revisions` sequence each time a
 * statement changes what the reconciler loads for an application (its instance rows, their
 * runtimes, the addresses of its roots' agents). The reconciler keeps the application it last saved
 * in memory and reuses it while the revision it locks is the one it saved (decision 0180). Values
 * come from a sequence, which never hands one out twice, even to a transaction rolled back.
 */
export class ApplicationRevisions1764200000000 implements MigrationInterface {
  name = 'ApplicationRevisions1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "application_revisions"`);
    await queryRunner.query(
      `ALTER TABLE "applications" ADD "revision" bigint NOT NULL DEFAULT '0'`,
    );
    for (const [name, applicationIds] of Object.entries(FUNCTIONS)) {
      await queryRunner.query(reviseFunction(name, applicationIds));
    }
    for (const [table, event, rows, fn] of TRIGGERS) {
      await queryRunner.query(statementTrigger(table, event, rows, fn));
    }
    await queryRunner.query(
      `CREATE TRIGGER "agents_host_facts_revise_applications" AFTER UPDATE OF "host_facts"
       ON "agents" FOR EACH ROW WHEN (OLD.host_facts IS DISTINCT FROM NEW.host_facts)
       EXECUTE FUNCTION "revise_applications_of_agent"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "agents_host_facts_revise_applications" ON "agents"`);
    for (const [table, event] of TRIGGERS) {
      await queryRunner.query(
        `DROP TRIGGER "${table}_${event.toLowerCase()}_revise_application" ON "${table}"`,
      );
    }
    for (const name of Object.keys(FUNCTIONS)) {
      await queryRunner.query(`DROP FUNCTION "${name}"()`);
    }
    await queryRunner.query(`ALTER TABLE "applications" DROP COLUMN "revision"`);
    await queryRunner.query(`DROP SEQUENCE "application_revisions"`);
  }
}
