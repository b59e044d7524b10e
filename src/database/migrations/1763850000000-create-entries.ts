import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEntries1763850000000 implements MigrationInterface {
  name = 'CreateEntries1763850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // key_path COLLATE "C": under the database's default collation (C.UTF-8 here) a prefix
    // range cannot use the index; under "C" the unique index serves it.
    await queryRunner.query(`
      CREATE TABLE "entries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "namespace_id" uuid NOT NULL,
        "key_path" varchar(512) COLLATE "C" NOT NULL,
        "value_type" varchar(16) NOT NULL,
        "value" text NOT NULL,
        "version" integer NOT NULL,
        "expires_at" timestamptz,
        "metadata" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_entries" PRIMARY KEY ("id"),
        CONSTRAINT "uq_entries_namespace_id_key_path" UNIQUE ("namespace_id", "key_path"),
        CONSTRAINT "fk_entries_namespace_id" FOREIGN KEY ("namespace_id") REFERENCES "namespaces" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_entries_expires_at" ON "entries" ("expires_at") WHERE "expires_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "entries"`);
  }
}
