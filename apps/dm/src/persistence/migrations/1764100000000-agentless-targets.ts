import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agentless root instances: their SSH target, pinned host key, credential and proxies (#7). */
export class AgentlessTargets1764100000000 implements MigrationInterface {
  name = 'AgentlessTargets1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agentless_targets" ("instance_id" uuid NOT NULL, "host" character varying(253) NOT NULL, "port" integer NOT NULL, "user_name" character varying(32) NOT NULL, "host_key_fingerprint" character varying(64) NOT NULL, "key_name" character varying(128), "sealed_password" jsonb, "use_sudo" boolean NOT NULL DEFAULT false, "firewall_backend" character varying(8) NOT NULL DEFAULT 'nft', "firewall_managed" boolean NOT NULL DEFAULT false, "proxies" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_agentless_targets" PRIMARY KEY ("instance_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "agentless_targets" ADD CONSTRAINT "FK_agentless_targets_instance" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agentless_targets"`);
  }
}
