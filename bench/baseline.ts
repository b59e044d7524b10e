/**
 * The raw-database baseline of npm run bench: for each scenario, the statements the service
 * sends for it when its read cache cannot help, through `pg` from the benchmark process,
 * with the service's own SQL (imported from src/), named prepared statements, its pool
 * sizes and its group commits (a read's audit record joins a shared insert; plain writes of
 * concurrent requests share one statement). So each service figure has the database's
 * ceiling for the same work beside it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { AuditAction } from '../src/audit/audit-action.enum';
import { AuditContext } from '../src/audit/audit-context';
import type { AuditRecord } from '../src/audit/audit-record';
import { INSERT_RECORDS } from '../src/audit/audit.service';
import { GroupCommit } from '../src/database/group-commit';
import { ValueType } from '../src/entries/model/value-type.enum';
import { BatchItem, batchItemOf } from '../src/entries/store/batched-entry-writer.service';
import { READ_MANY, READ_ONES, READ_PAGE, WRITE_BATCH } from '../src/entries/store/entry.sql';
import { OUTBOX_TX } from '../src/events/outbox.service';

export interface BenchNamespace {
  id: string;
  secret: boolean;
}

/** What a baseline request needs to know of the scenario's data. */
export interface BaselineData {
  application: string;
  randomKey: () => string;
  randomKeys: (count: number) => string[];
  randomValue: () => string;
  /** [inclusive, exclusive) bounds of a random listed prefix. */
  randomRange: () => [string, string];
  pageSize: number;
}

const ALIVE = '(e.expires_at IS NULL OR e.expires_at > now())';

// A secret's write is a transaction (its ciphertext is bound to the version the lock finds):
// the lock, the write with its version row and event, the audit row, as the service sends them.
const SECRET_LOCK = `SELECT id, version FROM entries e
  WHERE namespace_id = $1 AND key_path = $2 AND ${ALIVE} FOR UPDATE`;
const SECRET_WRITE = `WITH written AS (
    UPDATE entries SET value_type = 'STRING', value = NULL, value_ciphertext = $1, version = $2,
      updated_at = now() WHERE id = $3 RETURNING *
  ), versioned AS (
    INSERT INTO entry_versions (entry_id, version, value_type, value_ciphertext, change_reason, changed_by)
    SELECT id, version, value_type, value_ciphertext, 'update', $4 FROM written
  ), added AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
    SELECT $5, 'kv.entry.updated', $6, $7, $8, ${OUTBOX_TX} FROM written
  )
  SELECT * FROM written`;

/** The database's side of every scenario, with the service's pools and group commits. */
export class Baseline {
  private readonly pool: Pool;
  private readonly auditPool: Pool;
  private readonly audits: GroupCommit<AuditRecord>;
  private readonly writes: GroupCommit<Omit<BatchItem, 'ord'>>;
  private readonly reads: GroupCommit<[string, string]>;

  constructor(
    url: string,
    private readonly data: BaselineData,
  ) {
    this.pool = new Pool({ connectionString: url, max: 10 });
    this.auditPool = new Pool({ connectionString: url, max: 2 });
    this.audits = new GroupCommit(
      async (records) => {
        await this.auditPool.query({
          name: 'kv_audit_records',
          text: INSERT_RECORDS,
          values: [JSON.stringify(records)],
        });
      },
      { concurrency: 2 },
    );
    // As EntryReader coalesces the single-entry reads of concurrent requests.
    this.reads = new GroupCommit(
      async (keys) => {
        await this.pool.query({
          ...READ_ONES,
          values: [keys.map(([ns]) => ns), keys.map(([, key]) => key)],
        });
      },
      { maxBatch: 100, concurrency: 4 },
    );
    this.writes = new GroupCommit(
      async (items) => {
        await this.pool.query({
          ...WRITE_BATCH,
          values: [JSON.stringify(items.map((item, ord) => ({ ord, ...item })))],
        });
      },
      { maxBatch: 100, concurrency: 2, keyOf: (item) => item.ordering },
    );
  }

  async end(): Promise<void> {
    await Promise.all([this.pool.end(), this.auditPool.end()]);
  }

  /** A read's audit record, group-committed as the service does. */
  private audit(ns: BenchNamespace, action: AuditAction, keys?: string[], key?: string) {
    const context = new AuditContext(action, randomUUID(), ns.id, key ?? null, 'bench', 200);
    context.forApplication(this.data.application);
    if (keys) {
      context.forKeys(keys.map((keyPath) => ({ keyPath, entryId: null })));
    }
    return this.audits.add(context.record(true, 200)!);
  }

  async get(ns: BenchNamespace): Promise<void> {
    const key = this.data.randomKey();
    await this.reads.add([ns.id, key]);
    await this.audit(ns, AuditAction.READ, undefined, key);
  }

  async list(ns: BenchNamespace): Promise<void> {
    const [from, before] = this.data.randomRange();
    await this.pool.query({
      ...READ_PAGE,
      values: [ns.id, from, '', before, this.data.pageSize + 1, true, null],
    });
    await this.audit(ns, AuditAction.LIST);
  }

  async bulkGet(ns: BenchNamespace, count: number): Promise<void> {
    const keys = this.data.randomKeys(count);
    await this.pool.query({ ...READ_MANY, values: [ns.id, keys] });
    await this.audit(ns, AuditAction.READ, keys);
  }

  async put(ns: BenchNamespace): Promise<void> {
    if (ns.secret) {
      return this.putSecret(ns);
    }
    const record = this.record(ns);
    await this.writes.add(
      batchItemOf(
        { id: ns.id, applicationId: this.data.application, maxVersions: null },
        {
          key: this.data.randomKey(),
          value: {
            valueType: ValueType.STRING,
            serialized: JSON.stringify(this.data.randomValue()),
          },
          metadata: undefined,
          ttl: null,
          expectedVersion: undefined,
        },
        record,
        'bench',
      ),
    );
  }

  private record(ns: BenchNamespace): AuditRecord {
    const context = new AuditContext(AuditAction.WRITE, randomUUID(), ns.id, null, 'bench', 200);
    context.forApplication(this.data.application);
    return context.record(true, 200)!;
  }

  private async putSecret(ns: BenchNamespace): Promise<void> {
    const key = this.data.randomKey();
    // Sealed: ciphertext of the value's size plus IV and tag.
    const sealed = randomBytes(Buffer.byteLength(JSON.stringify(this.data.randomValue())) + 28);
    const db: PoolClient = await this.pool.connect();
    try {
      await db.query('BEGIN');
      const locked = await db.query<{ id: string; version: number }>({
        name: 'bench_secret_lock',
        text: SECRET_LOCK,
        values: [ns.id, key],
      });
      const { id, version } = locked.rows[0];
      const eventId = randomUUID();
      await db.query({
        name: 'bench_secret_write',
        text: SECRET_WRITE,
        values: [
          sealed,
          version + 1,
          id,
          'bench',
          eventId,
          `${ns.id}/${key}`,
          // What the outbox's revision trigger reads of an entry event.
          JSON.stringify({
            eventId,
            type: 'kv.entry.updated',
            occurredAt: new Date().toISOString(),
            namespaceId: ns.id,
            entryId: id,
            keyPath: key,
            version: version + 1,
            actor: 'bench',
          }),
          ns.id,
        ],
      });
      const record = { ...this.record(ns), entry_id: id, key_path: key };
      await db.query({
        name: 'kv_audit_records',
        text: INSERT_RECORDS,
        values: [JSON.stringify([record])],
      });
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    } finally {
      db.release();
    }
  }
}
