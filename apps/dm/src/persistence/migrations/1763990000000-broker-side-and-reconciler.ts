import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The broker side and the reconciler: agents' credentials (certificate, encryption key, reply-to),
 * each instance's stable state to revert to while a step runs, and per-command job details (the
 * agent it goes to, why it was issued, the import change of an update, when it was last sent).
 */
export class BrokerSideAndReconciler1763990000000 implements MigrationInterface {
  name = 'BrokerSideAndReconciler1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agent_credentials" ("agent_name" character varying(128) NOT NULL, "certificate_pem" text NOT NULL, "next_certificate_pem" text, "encryption_public_key" character varying(64) NOT NULL, "reply_to" character varying(255), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_agent_credentials" PRIMARY KEY ("agent_name"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "agent_credentials" ADD CONSTRAINT "FK_agent_credentials_agent" FOREIGN KEY ("agent_name") REFERENCES "agents"("name") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "instance_runtimes" ("instance_id" uuid NOT NULL, "previous_stable_state" "public"."actual_state", CONSTRAINT "PK_instance_runtimes" PRIMARY KEY ("instance_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "instance_runtimes" ADD CONSTRAINT "FK_instance_runtimes_instance" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "commands" ADD "agent_name" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "commands" ADD "details" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "commands" ADD "sent_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "IDX_commands_agent_status" ON "commands"("agent_name", "status")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_commands_agent_status"`);
    await queryRunner.query(`ALTER TABLE "commands" DROP COLUMN "sent_at"`);
    await queryRunner.query(`ALTER TABLE "commands" DROP COLUMN "details"`);
    await queryRunner.query(`ALTER TABLE "commands" DROP COLUMN "agent_name"`);
    await queryRunner.query(`DROP TABLE "instance_runtimes"`);
    await queryRunner.query(`DROP TABLE "agent_credentials"`);
  }
}
