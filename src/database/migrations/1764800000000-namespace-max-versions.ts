import { MigrationInterface, QueryRunner } from 'typeorm';

/** How many versions of each key a namespace keeps (null: all), as Vault's max_versions. */
export class NamespaceMaxVersions1764800000000 implements MigrationInterface {
  name = 'NamespaceMaxVersions1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "namespaces" ADD "max_versions" integer, ADD CONSTRAINT "ck_namespaces_max_versions" CHECK ("max_versions" > 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "namespaces" DROP CONSTRAINT "ck_namespaces_max_versions", DROP "max_versions"`,
    );
  }
}
