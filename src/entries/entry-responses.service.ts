import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { Page, toPage } from '../common/pagination/page';
import { encodeCursor } from '../common/pagination/cursor';
import type { KvConfig } from '../config/kv-config.types';
import { DataKeysService } from '../crypto/data-keys.service';
import type { FoundPage, NamespaceRef } from './cache/cached-read.types';
import { EntryDto } from './dto/entry.dto';
import type { EntryEntity } from './entry.entity';
import { entriesWithin } from './model/entry-bytes';

/** How a page of a list was asked for. */
export interface PageRequest {
  limit: number;
  withValues: boolean;
}

/**
 * Builds the responses of reads (get, list, bulk get), opening their secret values (rollback
 * and restore open only the old version they seal again). A response is made once per entity or page the read cache shares and kept beside it
 * (not in it) for as long as it is: the process holds every data key in memory anyway, so an
 * opened copy of a value there exposes nothing more to whoever could read that memory (as the
 * caching clients of AWS Secrets Manager keep them); in the database values stay sealed.
 */
@Injectable()
export class EntryResponses {
  private readonly entries = new WeakMap<EntryEntity, EntryDto>();
  private readonly pages = new WeakMap<FoundPage, Page<EntryDto>>();
  private readonly maxPageBytes: number;

  constructor(
    private readonly dataKeys: DataKeysService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxPageBytes = config.get('limits.maxPageBytes', { infer: true });
  }

  /** The response of one entry, with its value. */
  async entry(namespace: NamespaceRef, entity: EntryEntity): Promise<EntryDto> {
    const [response] = await this.withValues(namespace, [entity]);
    return response;
  }

  /** The responses of entries of one namespace, with their values, in order. */
  async withValues(namespace: NamespaceRef, entities: readonly EntryEntity[]): Promise<EntryDto[]> {
    const missing = entities.filter((entity) => !this.entries.has(entity));
    const opened = await this.open(namespace, missing);
    missing.forEach((entity, i) =>
      this.entries.set(entity, Object.freeze(EntryDto.from(opened[i], true))),
    );
    return entities.map((entity) => this.entries.get(entity)!);
  }

  /**
   * A page of a list from a page read (`entries`: limit + 1 of them, the last only telling
   * that more follow). A page of values stops at KV_MAX_PAGE_BYTES; its cursor goes on from
   * where it stopped.
   */
  async page(found: FoundPage, { limit, withValues }: PageRequest): Promise<Page<EntryDto>> {
    const made = this.pages.get(found);
    if (made) {
      return made;
    }
    const cursorOf = (row: EntryEntity) => encodeCursor([row.keyPath]);
    const page = toPage(found.entries, limit, cursorOf, (row) => row);
    const kept = withValues ? entriesWithin(page.items, this.maxPageBytes) : page.items.length;
    const rows = page.items.slice(0, kept);
    const items = withValues ? await this.open(found.namespace, rows) : rows;
    const response = Object.freeze({
      items: items.map((row) => EntryDto.from(row, withValues)),
      nextCursor: kept < page.items.length ? cursorOf(rows[kept - 1]) : page.nextCursor,
    });
    this.pages.set(found, response);
    return response;
  }

  /** The entities with the ciphertexts of a secret namespace replaced by their plaintext JSON. */
  private async open(
    namespace: NamespaceRef,
    entities: readonly EntryEntity[],
  ): Promise<readonly EntryEntity[]> {
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
