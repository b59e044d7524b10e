import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every namespace keeps its history: a version row per change, with its value as JSON text in
 * a plain namespace and sealed in a secret one, exactly one of the two.
 */
export class PlainVersions1764900000001 implements MigrationInterface {
  name = 'PlainVersions1764900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "entry_versions" ADD "value" text, ALTER "value_ciphertext" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "entry_versions" ADD CONSTRAINT "ck_entry_versions_one_value" CHECK (("value" IS NULL) <> ("value_ciphertext" IS NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "entry_versions" WHERE "value" IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "entry_versions" DROP CONSTRAINT "ck_entry_versions_one_value", DROP "value", ALTER "value_ciphertext" SET NOT NULL`,
    );
  }
}
