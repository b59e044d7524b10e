import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNamespaces1763830000000 implements MigrationInterface {
  name = 'CreateNamespaces1763830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // COLLATE "C": names sort and page in byte order, whatever the database's default collation.
    await queryRunner.query(`
      CREATE TABLE "namespaces" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "application_id" varchar(128) COLLATE "C" NOT NULL,
        "name" varchar(128) COLLATE "C" NOT NULL,
        "description" text,
        "is_secret_namespace" boolean NOT NULL DEFAULT false,
        "default_ttl_seconds" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_namespaces" PRIMARY KEY ("id"),
        CONSTRAINT "uq_namespaces_application_id_name" UNIQUE ("application_id", "name"),
        CONSTRAINT "ck_namespaces_default_ttl_seconds" CHECK ("default_ttl_seconds" > 0)
      )`);
    await queryRunner.query(`CREATE INDEX "ix_namespaces_name_id" ON "namespaces" ("name", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "namespaces"`);
  }
}
