import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { DataKeysService } from '../crypto/data-keys.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntryEntity } from './entry.entity';
import { ALIVE } from './entry-writer.service';

/** Reads live entries; in secret namespaces it opens their values, here and nowhere else. */
@Injectable()
export class EntryReader {
  constructor(
    @InjectRepository(EntryEntity) private readonly entries: Repository<EntryEntity>,
    private readonly dataKeys: DataKeysService,
  ) {}

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
  async reveal(namespace: NamespaceEntity, entities: EntryEntity[]): Promise<EntryEntity[]> {
    if (!namespace.isSecretNamespace || entities.length === 0) {
      return entities;
    }
    const cipher = await this.dataKeys.cipherFor(namespace.id);
    return entities.map(({ valueCiphertext, ...entity }) => ({
      ...entity,
      value: valueCiphertext
        ? cipher.decrypt(entity.keyPath, entity.version, valueCiphertext)
        : entity.value,
    }));
  }
}
