import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecretNamespaces1763860000000 implements MigrationInterface {
  name = 'SecretNamespaces1763860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "namespace_data_keys" (
        "namespace_id" uuid NOT NULL,
        "key_id" varchar(64) NOT NULL,
        "wrapped_key" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_namespace_data_keys" PRIMARY KEY ("namespace_id"),
        CONSTRAINT "fk_namespace_data_keys_namespace_id" FOREIGN KEY ("namespace_id") REFERENCES "namespaces" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`ALTER TABLE "entries" ALTER COLUMN "value" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "entries" ADD "value_ciphertext" bytea`);
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "ck_entries_one_value" CHECK (("value" IS NULL) <> ("value_ciphertext" IS NULL))`,
    );
    await queryRunner.query(`
      CREATE TABLE "entry_versions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "entry_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "value_type" varchar(16) NOT NULL,
        "value_ciphertext" bytea NOT NULL,
        "change_reason" varchar(16) NOT NULL,
        "changed_by" varchar(256) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_entry_versions" PRIMARY KEY ("id"),
        CONSTRAINT "uq_entry_versions_entry_id_version" UNIQUE ("entry_id", "version"),
        CONSTRAINT "fk_entry_versions_entry_id" FOREIGN KEY ("entry_id") REFERENCES "entries" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "entry_versions"`);
    await queryRunner.query(`DELETE FROM "entries" WHERE "value" IS NULL`);
    await queryRunner.query(`ALTER TABLE "entries" DROP CONSTRAINT "ck_entries_one_value"`);
    await queryRunner.query(`ALTER TABLE "entries" DROP COLUMN "value_ciphertext"`);
    await queryRunner.query(`ALTER TABLE "entries" ALTER COLUMN "value" SET NOT NULL`);
    await queryRunner.query(`DROP TABLE "namespace_data_keys"`);
  }
}
