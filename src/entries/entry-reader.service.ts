import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { DataKeysService } from '../crypto/data-keys.service';
import { poolOf } from '../database/pg-pool';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { AuditContext } from '../audit/audit-context';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { visible } from '../namespaces/namespaces.service';
import type { Principal } from '../permissions/principal';
import type { Page } from '../common/pagination/page';
import type { EntryDto } from './dto/entry.dto';
import { EntryCache } from './entry-cache';
import { EntryEntity } from './entry.entity';
import { EntryRow, entryFromRow } from './entry-row';
import { ALIVE } from './entry-writer.service';

/** A namespace and, if alive, one of its entries: what a read needs, in one round trip. */
export interface NamespaceAndEntry {
  namespace: Pick<NamespaceEntity, 'id' | 'applicationId' | 'isSecretNamespace'>;
  entry: EntryEntity | undefined;
  /**
   * The response, made once however often a cached read serves it. For a secret it holds the
   * opened value: the process holds every data key in memory anyway, so an opened copy of a
   * value there exposes nothing more to whoever could read that memory (as the caching
   * clients of AWS Secrets Manager keep them); in the database values stay sealed.
   */
  response?: EntryDto;
}

// The hot path of the service: a named prepared statement, planned once per connection.
export const READ_ONE = {
  name: 'kv_read_entry',
  text: `SELECT n.application_id AS ns_application_id, n.is_secret_namespace AS ns_is_secret, e.*
         FROM namespaces n
         LEFT JOIN entries e ON e.namespace_id = n.id AND e.key_path = $2 AND ${ALIVE}
         WHERE n.id = $1`,
};

// A page of a namespace in one round trip. Entries are read only when the caller may see the
// namespace (a one-time filter on the outer row), so another application's namespace costs
// what a missing one does. The lower bound is an index condition whether it comes from the
// prefix or the cursor; values and ciphertexts travel only when asked for.
export const READ_PAGE = {
  name: 'kv_read_page',
  text: `SELECT n.application_id AS ns_application_id, n.is_secret_namespace AS ns_is_secret, e.*
         FROM namespaces n
         LEFT JOIN LATERAL (
           SELECT e.id, e.namespace_id, e.key_path, e.value_type, e.version, e.expires_at,
                  e.metadata, e.created_at, e.updated_at,
                  CASE WHEN $6 THEN e.value END AS value,
                  CASE WHEN $6 THEN e.value_ciphertext END AS value_ciphertext
           FROM entries e
           WHERE ($7::text[] IS NULL OR n.application_id = ANY($7::text[]))
             AND e.namespace_id = n.id AND ${ALIVE}
             AND e.key_path >= $2 AND e.key_path > $3
             AND ($4::text IS NULL OR e.key_path < $4)
           ORDER BY e.key_path
           LIMIT $5
         ) e ON true
         WHERE n.id = $1`,
};

// The live entries of some keys of a namespace the caller may see, in one statement.
export const READ_MANY = {
  name: 'kv_read_entries',
  text: `SELECT e.* FROM entries e WHERE e.namespace_id = $1 AND e.key_path = ANY($2::text[]) AND ${ALIVE}`,
};

/** A namespace and a page of its live entries, in key order. */
export interface FoundPage {
  namespace: NamespaceAndEntry['namespace'];
  entries: EntryEntity[];
  /** The response, made once per cached page (as for an entry). */
  response?: Page<EntryDto>;
}

/** A namespace joined to one of its entries, or to nothing (all entry columns null). */
type ReadRow = EntryRow & {
  ns_application_id: string;
  ns_is_secret: boolean;
  value_ciphertext: Buffer | null;
};

function namespaceOf(id: string, row: ReadRow): NamespaceAndEntry['namespace'] {
  return { id, applicationId: row.ns_application_id, isSecretNamespace: row.ns_is_secret };
}

export interface PageRange {
  /** Inclusive lower bound: the prefix ('' for none). */
  from: string;
  /** Exclusive lower bound: the cursor's last key ('' for the first page). */
  after: string;
  /** Exclusive upper bound, if the prefix has one. */
  before: string | undefined;
  limit: number;
}

/** Reads live entries; in secret namespaces it opens their values, here and nowhere else. */
@Injectable()
export class EntryReader {
  constructor(
    @InjectRepository(EntryEntity) private readonly entries: Repository<EntryEntity>,
    @InjectRepository(NamespaceEntity) private readonly namespaces: Repository<NamespaceEntity>,
    private readonly dataKeys: DataKeysService,
    private readonly cache: EntryCache,
  ) {}

  /**
   * The namespace (undefined if missing) and its live entry under the key. Only a caller of
   * the namespace's application is answered from the cache: anyone else waits for the same
   * database round trip as for a namespace that does not exist, so timing tells them nothing.
   */
  async readOne(
    namespaceId: string,
    key: string,
    caller: Principal,
  ): Promise<NamespaceAndEntry | undefined> {
    const cached = this.cache.get(namespaceId, key);
    if (cached && caller.canAccess(cached.namespace.applicationId)) {
      return cached;
    }
    const ticket = this.cache.ticket(namespaceId);
    const found = await this.selectOne(namespaceId, key);
    if (found) {
      this.cache.offer(namespaceId, key, found, ticket);
    }
    return found;
  }

  /**
   * The namespace of a write, if the caller may see it (404 otherwise, as for a missing one),
   * from the cache when it holds it and the caller belongs to its application.
   */
  async visibleNamespace(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
  ): Promise<Readonly<NamespaceEntity>> {
    const cached = this.cache.getNamespace(namespaceId);
    if (cached && caller.canAccess(cached.applicationId)) {
      return visible(caller, audit, namespaceId, cached);
    }
    const ticket = this.cache.namespaceTicket(namespaceId);
    const found = await this.namespaces.findOneBy({ id: namespaceId });
    if (found) {
      this.cache.offerNamespace(found, ticket);
    }
    return visible(caller, audit, namespaceId, found);
  }

  /**
   * The namespace (undefined if missing) and a page of its live entries, in key order; from
   * the cache, on the same terms as readOne.
   */
  async readPage(
    namespaceId: string,
    range: PageRange,
    withValues: boolean,
    caller: Principal,
  ): Promise<FoundPage | undefined> {
    const page = [range.from, range.after, range.before ?? '', range.limit, withValues].join('\0');
    const cached = this.cache.getPage(namespaceId, page);
    if (cached && caller.canAccess(cached.namespace.applicationId)) {
      return cached;
    }
    const ticket = this.cache.ticket(namespaceId);
    const found = await this.selectPage(namespaceId, range, withValues, caller);
    // A caller of another application is shown no entries: that is no page to keep.
    if (found && caller.canAccess(found.namespace.applicationId)) {
      this.cache.offerPage(namespaceId, page, found, ticket);
    }
    return found;
  }

  /**
   * The live entries of these keys of a namespace the caller may see, by key: those the
   * cache holds from it, the others in one statement.
   */
  async readMany(
    namespace: NamespaceAndEntry['namespace'],
    keys: string[],
  ): Promise<Map<string, NamespaceAndEntry>> {
    const found = new Map<string, NamespaceAndEntry>();
    // Up to a thousand lookups: moving each to the front of the eviction order cost more
    // than the lookups themselves.
    const missed = keys.filter((key) => {
      const cached = this.cache.get(namespace.id, key, false);
      if (cached) {
        found.set(key, cached);
      }
      return !cached;
    });
    if (missed.length === 0) {
      return found;
    }
    const ticket = this.cache.ticket(namespace.id);
    const { rows } = await poolOf(this.entries.manager.connection).query<ReadRow>({
      ...READ_MANY,
      values: [namespace.id, missed],
    });
    const { id, applicationId, isSecretNamespace } = namespace;
    for (const row of rows) {
      const read = {
        namespace: { id, applicationId, isSecretNamespace },
        entry: { ...entryFromRow(row), valueCiphertext: row.value_ciphertext },
      };
      this.cache.offer(id, row.key_path, read, ticket);
      found.set(row.key_path, read);
    }
    return found;
  }

  private async selectPage(
    namespaceId: string,
    range: PageRange,
    withValues: boolean,
    caller: Principal,
  ): Promise<FoundPage | undefined> {
    const { rows } = await poolOf(this.entries.manager.connection).query<ReadRow>({
      ...READ_PAGE,
      values: [
        namespaceId,
        range.from,
        range.after,
        range.before ?? null,
        range.limit,
        withValues,
        caller.applicationScope ?? null,
      ],
    });
    if (rows.length === 0) {
      return undefined;
    }
    return {
      namespace: namespaceOf(namespaceId, rows[0]),
      entries: rows
        .filter((row) => row.id !== null)
        .map((row) => ({ ...entryFromRow(row), valueCiphertext: row.value_ciphertext })),
    };
  }

  private async selectOne(
    namespaceId: string,
    key: string,
  ): Promise<NamespaceAndEntry | undefined> {
    const { rows } = await poolOf(this.entries.manager.connection).query<ReadRow>({
      ...READ_ONE,
      values: [namespaceId, key],
    });
    const row = rows[0];
    if (!row) {
      return undefined;
    }
    return {
      namespace: namespaceOf(namespaceId, row),
      entry:
        row.id === null
          ? undefined
          : { ...entryFromRow(row), valueCiphertext: row.value_ciphertext },
    };
  }

  /** A query over the live entries of a namespace, with ciphertexts when values are wanted. */
  alive(namespace: NamespaceEntity, withValues: boolean): SelectQueryBuilder<EntryEntity> {
    const builder = this.entries
      .createQueryBuilder('e')
      .where('e.namespace_id = :namespaceId', { namespaceId: namespace.id })
      .andWhere(ALIVE);
    return withValues && namespace.isSecretNamespace
      ? builder.addSelect('e.valueCiphertext')
      : builder;
  }

  /** Replaces the ciphertexts of secret entries by their plaintext JSON, for a response. */
  async reveal(
    namespace: Pick<NamespaceEntity, 'id' | 'isSecretNamespace'>,
    entities: EntryEntity[],
  ): Promise<EntryEntity[]> {
    if (!namespace.isSecretNamespace || entities.length === 0) {
      return entities;
    }
    const cipher = await this.dataKeys.cipherFor(namespace.id);
    return entities.map(({ valueCiphertext, ...entity }) => {
      // Fail closed: a value of a secret namespace that is not sealed was not written by us.
      if (!valueCiphertext) {
        throw new KvException(
          ErrorCode.INTEGRITY_ERROR,
          `the stored value of ${entity.keyPath} version ${entity.version} is not sealed as a secret namespace's values are`,
        );
      }
      return { ...entity, value: cipher.decrypt(entity.keyPath, entity.version, valueCiphertext) };
    });
  }
}
