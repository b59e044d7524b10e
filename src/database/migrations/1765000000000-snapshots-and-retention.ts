import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshots: a namespace's revision pinned under an immutable name, so that pruning keeps what
 * reading the namespace as of that revision needs. And how long each namespace keeps its
 * history (null: KV_HISTORY_RETENTION_DAYS).
 */
export class SnapshotsAndRetention1765000000000 implements MigrationInterface {
  name = 'SnapshotsAndRetention1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "namespace_snapshots" (
        "namespace_id" uuid NOT NULL,
        "name" varchar(128) COLLATE "C" NOT NULL,
        "revision" bigint NOT NULL,
        "description" text,
        "created_by" varchar(256) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_namespace_snapshots" PRIMARY KEY ("namespace_id", "name"),
        CONSTRAINT "fk_namespace_snapshots_namespace_id" FOREIGN KEY ("namespace_id") REFERENCES "namespaces" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_namespace_snapshots_revision" ON "namespace_snapshots" ("namespace_id", "revision")`,
    );
    await queryRunner.query(
      `ALTER TABLE "namespaces" ADD "history_retention_days" integer, ADD CONSTRAINT "ck_namespaces_history_retention_days" CHECK ("history_retention_days" > 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "namespaces" DROP CONSTRAINT "ck_namespaces_history_retention_days", DROP "history_retention_days"`,
    );
    await queryRunner.query(`DROP TABLE "namespace_snapshots"`);
  }
}
