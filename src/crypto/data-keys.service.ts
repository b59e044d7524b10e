import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { EntityManager, Repository } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { newKey, open, seal } from './aes-gcm';
import { MasterKeyRing } from './master-key-ring';
import { NamespaceDataKeyEntity } from './namespace-data-key.entity';
import { ValueCipher } from './value-cipher';

const REWRAP_BATCH = 100;
/** Data keys kept open in memory; the least recently used beyond are unwrapped again when needed. */
const MAX_UNWRAPPED_KEYS = 10_000;
// Namespaces whose data key failed to open, kept for readiness to try again; a bound, not a log.
const UNOPENED_KEPT = 100;

/** What one readiness probe found sealed. */
export interface SealedKeyIds {
  /** Master key ids that wrap data keys but are not in KV_MASTER_KEY(S). */
  missing: string[];
  /** Ids in KV_MASTER_KEY(S) whose key does not open the data keys wrapped under them. */
  mismatched: string[];
  /** Data keys that do not open although other data keys of their master key do: damaged rows. */
  damaged: number;
}

interface WrappedKeyRow {
  namespaceId: string;
  keyId: string;
  wrappedKey: Buffer;
  /** True for the one data key of its key id that stands for all of them. */
  sample: boolean;
}

function wrapPlace(namespaceId: string): Buffer {
  return Buffer.from(JSON.stringify(['kv-data-key-v1', namespaceId]), 'utf8');
}

function sealed(keyId: string): KvException {
  return new KvException(
    ErrorCode.SERVICE_UNAVAILABLE,
    `secret namespaces wrapped by master key ${keyId} are sealed: that key is not in KV_MASTER_KEY(S)`,
  );
}

/** How many data keys each master key wraps. */
export type KeyIdCounts = Record<string, number>;

/**
 * Data keys of secret namespaces: made at namespace creation, wrapped by the active master
 * key, unwrapped once per process and kept in memory (never logged, never returned).
 */
@Injectable()
export class DataKeysService {
  private readonly logger = new Logger(DataKeysService.name);
  private readonly unwrapped = new LRUCache<string, Buffer>({ max: MAX_UNWRAPPED_KEYS });
  private readonly unopened = new Set<string>();
  private failures = 0;

  constructor(
    private readonly ring: MasterKeyRing,
    @InjectRepository(NamespaceDataKeyEntity)
    private readonly keys: Repository<NamespaceDataKeyEntity>,
  ) {}

  /** Creates the data key of a new secret namespace, inside the transaction that creates it. */
  async create(manager: EntityManager, namespaceId: string): Promise<void> {
    const dataKey = newKey();
    const { id, key } = this.ring.active;
    await manager.insert(NamespaceDataKeyEntity, {
      namespaceId,
      keyId: id,
      wrappedKey: seal(key, dataKey, wrapPlace(namespaceId)),
    });
    this.unwrapped.set(namespaceId, dataKey);
  }

  /** The cipher of a secret namespace; 503 while its master key is missing. */
  async cipherFor(namespaceId: string): Promise<ValueCipher> {
    let dataKey = this.unwrapped.get(namespaceId);
    if (!dataKey) {
      const row = await this.keys
        .createQueryBuilder('k')
        .addSelect('k.wrappedKey')
        .where('k.namespaceId = :namespaceId', { namespaceId })
        .getOne();
      if (!row) {
        throw new KvException(
          ErrorCode.INTEGRITY_ERROR,
          `secret namespace ${namespaceId} has no data key`,
        );
      }
      dataKey = this.unwrap(row);
      this.unwrapped.set(namespaceId, dataKey);
      this.unopened.delete(namespaceId);
    }
    return new ValueCipher(namespaceId, dataKey);
  }

  /** How many times a data key failed to open in this process: a change means look again. */
  get openFailures(): number {
    return this.failures;
  }

  /**
   * Tries to open one data key per master key id in use, and the data keys that failed to open
   * here lately; opens nothing for use. A wrong key under a known id fails on any data key it
   * names, so one of each id finds it: one scan of the data keys (a short row per secret
   * namespace) and an AES-GCM open per key id.
   */
  async probe(): Promise<SealedKeyIds> {
    const retried = [...this.unopened];
    const rows = await this.keys.query<WrappedKeyRow[]>(
      `SELECT namespace_id AS "namespaceId", key_id AS "keyId", wrapped_key AS "wrappedKey", TRUE AS sample
         FROM (SELECT DISTINCT ON (key_id) * FROM namespace_data_keys ORDER BY key_id, namespace_id) one_per_key_id
       UNION ALL
       SELECT namespace_id, key_id, wrapped_key, FALSE FROM namespace_data_keys WHERE namespace_id = ANY($1::uuid[])`,
      [retried],
    );
    const missing = new Set<string>();
    const mismatched = new Set<string>();
    const failed: WrappedKeyRow[] = [];
    for (const row of rows) {
      const masterKey = this.ring.get(row.keyId);
      if (!masterKey) {
        missing.add(row.keyId);
      } else if (!this.opens(masterKey, row)) {
        failed.push(row);
      } else {
        this.unopened.delete(row.namespaceId);
      }
    }
    failed.filter((row) => row.sample).forEach((row) => mismatched.add(row.keyId));
    const damaged = failed.filter((row) => !row.sample && !mismatched.has(row.keyId)).length;
    // Deleted since: nothing left to open.
    const found = new Set(rows.map((row) => row.namespaceId));
    retried.filter((id) => !found.has(id)).forEach((id) => this.unopened.delete(id));
    return { missing: [...missing].sort(), mismatched: [...mismatched].sort(), damaged };
  }

  async keyIdCounts(): Promise<KeyIdCounts> {
    const rows = await this.keys
      .createQueryBuilder('k')
      .select('k.keyId', 'keyId')
      .addSelect('count(*)::int', 'count')
      .groupBy('k.keyId')
      .getRawMany<{ keyId: string; count: number }>();
    return Object.fromEntries(rows.map((r) => [r.keyId, r.count]));
  }

  /**
   * Re-wraps every data key under the active master key, in small transactions; value rows
   * are not touched. Keys whose master key is missing are left as they are and still counted.
   * `onBatch` hears how many it has re-wrapped so far after each committed batch.
   */
  async rewrapAll(onBatch?: (rewrapped: number) => void): Promise<KeyIdCounts> {
    const active = this.ring.active;
    const stuck = new Set<string>();
    let rewrapped = 0;
    for (;;) {
      const done = await this.keys.manager.transaction(async (manager) => {
        const rows = await manager
          .createQueryBuilder(NamespaceDataKeyEntity, 'k')
          .addSelect('k.wrappedKey')
          .where('k.keyId <> :active', { active: active.id })
          .andWhere(stuck.size > 0 ? 'k.keyId NOT IN (:...stuck)' : 'TRUE', { stuck: [...stuck] })
          .orderBy('k.namespaceId')
          .limit(REWRAP_BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        for (const row of rows) {
          if (this.ring.get(row.keyId) === undefined) {
            stuck.add(row.keyId);
            continue;
          }
          const dataKey = this.unwrap(row);
          await manager.update(
            NamespaceDataKeyEntity,
            { namespaceId: row.namespaceId },
            { keyId: active.id, wrappedKey: seal(active.key, dataKey, wrapPlace(row.namespaceId)) },
          );
          rewrapped += 1;
        }
        return rows.length < REWRAP_BATCH;
      });
      onBatch?.(rewrapped);
      if (done) {
        return this.keyIdCounts();
      }
    }
  }

  private opens(masterKey: Buffer, row: WrappedKeyRow): boolean {
    try {
      open(masterKey, row.wrappedKey, wrapPlace(row.namespaceId));
      return true;
    } catch {
      return false;
    }
  }

  private noteOpenFailure(namespaceId: string): void {
    this.failures += 1;
    if (this.unopened.size < UNOPENED_KEPT) {
      this.unopened.add(namespaceId);
    }
  }

  private unwrap(row: NamespaceDataKeyEntity): Buffer {
    const masterKey = this.ring.get(row.keyId);
    if (!masterKey) {
      this.noteOpenFailure(row.namespaceId);
      throw sealed(row.keyId);
    }
    try {
      return open(masterKey, row.wrappedKey, wrapPlace(row.namespaceId));
    } catch {
      this.noteOpenFailure(row.namespaceId);
      this.logger.error(
        `The data key of namespace ${row.namespaceId} does not open with master key ${row.keyId}`,
      );
      throw new KvException(
        ErrorCode.SERVICE_UNAVAILABLE,
        `master key ${row.keyId} does not open this namespace's data key: the configured key is not the one it was wrapped with`,
      );
    }
  }
}
