import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BulkWriter } from './bulk-writer.service';
import { EntryCache } from './entry-cache';
import { EntryCacheInvalidator } from './entry-cache.invalidator';
import { EntryReader } from './entry-reader.service';
import { EntryWriter } from './entry-writer.service';
import { PlainEntryWriter } from './plain-entry-writer.service';
import { Tombstones } from './tombstones.service';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntryEntity } from './entry.entity';

/** Reading and writing entries, shared by the entry, secret and bulk operations. */
@Module({
  imports: [TypeOrmModule.forFeature([EntryEntity, NamespaceEntity])],
  providers: [
    EntryReader,
    EntryWriter,
    PlainEntryWriter,
    BulkWriter,
    EntryCache,
    EntryCacheInvalidator,
    Tombstones,
  ],
  exports: [EntryReader, EntryWriter, PlainEntryWriter, BulkWriter, EntryCache, Tombstones],
})
export class EntryStoreModule {}
