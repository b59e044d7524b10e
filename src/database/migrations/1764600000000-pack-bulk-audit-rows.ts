import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk calls store one audit row holding all their keys; the audit query unpacks it. */
export class PackBulkAuditRows1764600000000 implements MigrationInterface {
  name = 'PackBulkAuditRows1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD "key_paths" text[] COLLATE "C", ADD "entry_ids" uuid[]`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to one row per key, with the ids and outcomes the audit query showed for them.
    await queryRunner.query(`
      INSERT INTO "audit_log" ("id", "application_id", "namespace_id", "entry_id", "key_path",
        "action", "user_id", "success", "status_code", "request_id", "timestamp")
      SELECT md5(a.id::text || '/' || k.ord)::uuid, a.application_id, a.namespace_id, k.entry_id,
        k.key_path, a.action, a.user_id, a.success AND k.entry_id IS NOT NULL,
        CASE WHEN a.success AND k.entry_id IS NULL THEN 404 ELSE a.status_code END,
        a.request_id, a.timestamp
      FROM "audit_log" a,
        unnest(a.key_paths, a.entry_ids) WITH ORDINALITY AS k(key_path, entry_id, ord)
      WHERE a.key_paths IS NOT NULL`);
    await queryRunner.query(`DELETE FROM "audit_log" WHERE "key_paths" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP "key_paths", DROP "entry_ids"`);
  }
}
