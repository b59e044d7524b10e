import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditLog1763840000000 implements MigrationInterface {
  name = 'CreateAuditLog1763840000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_log" (
        "id" uuid NOT NULL,
        "application_id" varchar(128) COLLATE "C",
        "namespace_id" uuid,
        "entry_id" uuid,
        "key_path" text COLLATE "C",
        "action" varchar(32) NOT NULL,
        "user_id" varchar(256),
        "success" boolean NOT NULL,
        "status_code" smallint NOT NULL,
        "request_id" varchar(128) NOT NULL,
        "timestamp" timestamptz NOT NULL,
        CONSTRAINT "pk_audit_log" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_log_timestamp_id" ON "audit_log" ("timestamp", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_log_application_id_timestamp_id" ON "audit_log" ("application_id", "timestamp", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_log_namespace_id_timestamp_id" ON "audit_log" ("namespace_id", "timestamp", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
