import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEventOutbox1763870000000 implements MigrationInterface {
  name = 'CreateEventOutbox1763870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "event_outbox" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "event_id" uuid NOT NULL,
        "routing_key" varchar(64) NOT NULL,
        "ordering_key" text COLLATE "C" NOT NULL,
        "payload" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_event_outbox" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_event_outbox_pending" ON "event_outbox" ("id") WHERE "sent_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_outbox_ordering_key_pending" ON "event_outbox" ("ordering_key", "id") WHERE "sent_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_outbox_sent_at" ON "event_outbox" ("sent_at") WHERE "sent_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "event_outbox"`);
  }
}
