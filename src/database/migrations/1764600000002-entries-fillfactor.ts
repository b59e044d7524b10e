import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room in every page of entries for the next version of its rows: an update that changes no
 * indexed column then stays on its page (a HOT update) and writes no index at all. Pages
 * written before keep their fill until they are rewritten.
 */
export class EntriesFillfactor1764600000002 implements MigrationInterface {
  name = 'EntriesFillfactor1764600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "entries" SET (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "entries" RESET (fillfactor)`);
  }
}
