import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deleted or expired entry keeps its row as a tombstone (`deleted_at` set, no value, no
 * expiry) instead of losing it:
 * - its `version` stays the highest the key ever had, and a write of the key revives the row
 *   with the next one, so a version (and the ETag made of it) never repeats within a namespace
 *   and an old If-Match or expectedVersion cannot match a later incarnation. Every writer of a
 *   key meets its one row (lock, update, or the unique index of an insert), whatever its
 *   snapshot: a separate table of high-water marks would be invisible to a statement whose
 *   snapshot predates the delete;
 * - in a secret namespace its versions (which hang off the row) stay, recoverable until
 *   `recoverable_until` (KV_SECRET_RECOVERY_DAYS after the deletion), then the sweeper purges
 *   them and clears `recoverable_until`.
 * Tombstones live as long as their namespace: one short row per deleted key.
 */
export class EntryTombstones1764700000000 implements MigrationInterface {
  name = 'EntryTombstones1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "entries" ADD "deleted_at" timestamptz, ADD "deleted_by" varchar(256), ADD "recoverable_until" timestamptz`,
    );
    await queryRunner.query(`ALTER TABLE "entries" DROP CONSTRAINT "ck_entries_one_value"`);
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "ck_entries_one_value" CHECK (CASE WHEN "deleted_at" IS NULL THEN ("value" IS NULL) <> ("value_ciphertext" IS NULL) ELSE "value" IS NULL AND "value_ciphertext" IS NULL AND "expires_at" IS NULL END)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_entries_recoverable_until" ON "entries" ("recoverable_until") WHERE "recoverable_until" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_entries_recoverable_until"`);
    await queryRunner.query(`DELETE FROM "entries" WHERE "deleted_at" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "entries" DROP CONSTRAINT "ck_entries_one_value"`);
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "ck_entries_one_value" CHECK (("value" IS NULL) <> ("value_ciphertext" IS NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "entries" DROP "deleted_at", DROP "deleted_by", DROP "recoverable_until"`,
    );
  }
}
