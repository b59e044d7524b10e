import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-namespace revisions and the history they index. Every change of an entry leaves its
 * event in the outbox in its own transaction (all writers already do), so a trigger on the
 * outbox is the one place that numbers them: no write path can forget its revision. The
 * first entry event of a transaction raises its namespace's counter by one; later ones of
 * the same transaction (tx) keep that number. The counter row stays locked until commit, so
 * a namespace's revisions commit in order and a rolled-back one is never seen: no gaps.
 */
export class NamespaceRevisions1764900000000 implements MigrationInterface {
  name = 'NamespaceRevisions1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Updated once per committing transaction: room on its page keeps those updates HOT.
    await queryRunner.query(`
      CREATE TABLE "namespace_revisions" (
        "namespace_id" uuid NOT NULL,
        "revision" bigint NOT NULL DEFAULT 0,
        "tx" bigint NOT NULL DEFAULT 0,
        "compacted_revision" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "pk_namespace_revisions" PRIMARY KEY ("namespace_id"),
        CONSTRAINT "fk_namespace_revisions_namespace_id" FOREIGN KEY ("namespace_id") REFERENCES "namespaces" ("id") ON DELETE CASCADE
      ) WITH (fillfactor = 50)`);
    await queryRunner.query(
      `INSERT INTO "namespace_revisions" ("namespace_id") SELECT "id" FROM "namespaces"`,
    );
    // Its key references the counter row, which the inserting transaction holds already.
    await queryRunner.query(`
      CREATE TABLE "namespace_changes" (
        "namespace_id" uuid NOT NULL,
        "revision" bigint NOT NULL,
        "seq" bigint NOT NULL,
        "type" varchar(64) NOT NULL,
        "key_path" text COLLATE "C" NOT NULL,
        "entry_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "create_revision" bigint NOT NULL,
        "actor" varchar(256) NOT NULL,
        "occurred_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_namespace_changes" PRIMARY KEY ("namespace_id", "revision", "seq"),
        CONSTRAINT "fk_namespace_changes_namespace_id" FOREIGN KEY ("namespace_id") REFERENCES "namespace_revisions" ("namespace_id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_namespace_changes_key" ON "namespace_changes" ("namespace_id", "key_path", "revision")`,
    );
    await queryRunner.query(`ALTER TABLE "event_outbox" ADD "revision" bigint`);
    await queryRunner.query(`
      CREATE FUNCTION kv_assign_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        cur bigint := pg_current_xact_id()::text::bigint;
        rev bigint;
        created bigint;
        body jsonb;
      BEGIN
        IF NEW.namespace_id IS NULL THEN
          RETURN NEW;
        END IF;
        IF NEW.routing_key = 'kv.namespace.created' THEN
          INSERT INTO namespace_revisions (namespace_id) VALUES (NEW.namespace_id)
            ON CONFLICT DO NOTHING;
          rev := 0;
        ELSIF NEW.routing_key LIKE 'kv.entry.%' AND NEW.routing_key <> 'kv.entry.purged' THEN
          UPDATE namespace_revisions SET revision = revision + 1, tx = cur
            WHERE namespace_id = NEW.namespace_id AND tx <> cur
            RETURNING revision INTO rev;
          IF NOT FOUND THEN
            SELECT revision INTO rev FROM namespace_revisions
              WHERE namespace_id = NEW.namespace_id AND tx = cur;
          END IF;
          IF NOT FOUND THEN
            INSERT INTO namespace_revisions (namespace_id, revision, tx)
              VALUES (NEW.namespace_id, 1, cur) RETURNING revision INTO rev;
          END IF;
          body := NEW.payload::jsonb;
          -- The revision that created the key's current incarnation; 0 for one from before.
          IF NEW.routing_key IN ('kv.entry.created', 'kv.entry.restored') THEN
            created := rev;
          ELSE
            SELECT c.create_revision INTO created FROM namespace_changes c
              WHERE c.namespace_id = NEW.namespace_id AND c.key_path = body->>'keyPath'
              ORDER BY c.revision DESC, c.seq DESC LIMIT 1;
            created := coalesce(created, 0);
          END IF;
          INSERT INTO namespace_changes (namespace_id, revision, seq, type, key_path, entry_id,
            version, create_revision, actor, occurred_at)
          VALUES (NEW.namespace_id, rev, NEW.id, NEW.routing_key, body->>'keyPath',
            (body->>'entryId')::uuid, (body->>'version')::int, created, body->>'actor',
            (body->>'occurredAt')::timestamptz);
        ELSE
          -- Purges and namespace updates change no entry: they carry the revision they follow.
          SELECT revision INTO rev FROM namespace_revisions WHERE namespace_id = NEW.namespace_id;
        END IF;
        IF rev IS NOT NULL THEN
          NEW.revision := rev;
          NEW.payload := left(rtrim(NEW.payload), -1) || ',"revision":' || rev || '}';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tr_event_outbox_revision" BEFORE INSERT ON "event_outbox"
      FOR EACH ROW EXECUTE FUNCTION kv_assign_revision()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_event_outbox_revision" ON "event_outbox"`);
    await queryRunner.query(`DROP FUNCTION kv_assign_revision()`);
    await queryRunner.query(`ALTER TABLE "event_outbox" DROP "revision"`);
    await queryRunner.query(`DROP TABLE "namespace_changes"`);
    await queryRunner.query(`DROP TABLE "namespace_revisions"`);
  }
}
