import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox doubles as the feed of committed changes that keeps every replica's cache
 * current: each row names its namespace and the transaction that wrote it, so a poller can
 * take exactly the rows its last snapshot could not see (see ChangeFeed).
 */
export class OutboxChangeFeed1764600000001 implements MigrationInterface {
  name = 'OutboxChangeFeed1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Rows from before are older than any feed's first look: transaction 0 stands for them.
    await queryRunner.query(
      `ALTER TABLE "event_outbox" ADD "namespace_id" uuid, ADD "tx" bigint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE "event_outbox" ALTER "tx" DROP DEFAULT`);
    await queryRunner.query(`CREATE INDEX "ix_event_outbox_tx" ON "event_outbox" ("tx")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_event_outbox_tx"`);
    await queryRunner.query(`ALTER TABLE "event_outbox" DROP "tx", DROP "namespace_id"`);
  }
}
