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
    }
    return new ValueCipher(namespaceId, dataKey);
  }

  /** Master key ids that wrap some data key but are not in the ring. */
  async missingMasterKeyIds(): Promise<string[]> {
    const used = await this.keyIdCounts();
    return Object.keys(used).filter((id) => this.ring.get(id) === undefined);
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
   */
  async rewrapAll(): Promise<KeyIdCounts> {
    const active = this.ring.active;
    const stuck = new Set<string>();
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
        }
        return rows.length < REWRAP_BATCH;
      });
      if (done) {
        return this.keyIdCounts();
      }
    }
  }

  private unwrap(row: NamespaceDataKeyEntity): Buffer {
    const masterKey = this.ring.get(row.keyId);
    if (!masterKey) {
      throw sealed(row.keyId);
    }
    try {
      return open(masterKey, row.wrappedKey, wrapPlace(row.namespaceId));
    } catch {
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
