import { Module } from '@nestjs/common';
import { EntryCache } from '../cache/entry-cache';
import { EntryCacheInvalidator } from '../cache/entry-cache.invalidator';
import { BatchedEntryWriter } from './batched-entry-writer.service';
import { BulkEntryWriter } from './bulk-entry-writer.service';
import { EntryReader } from './entry-reader.service';
import { HistoryReader } from './history-reader.service';
import { LockingEntryWriter } from './locking-entry-writer.service';
import { Tombstones } from './tombstones.service';
import { TtlSweeper } from './ttl-sweeper.service';
import { VersionReader } from './version-reader.service';

/** The only code that sends SQL about entries and their versions, and the read cache in front of it. */
@Module({
  providers: [
    EntryReader,
    HistoryReader,
    VersionReader,
    LockingEntryWriter,
    BatchedEntryWriter,
    BulkEntryWriter,
    Tombstones,
    TtlSweeper,
    EntryCache,
    EntryCacheInvalidator,
  ],
  exports: [
    EntryReader,
    HistoryReader,
    VersionReader,
    LockingEntryWriter,
    BatchedEntryWriter,
    BulkEntryWriter,
    TtlSweeper,
    EntryCache,
  ],
})
export class EntryStoreModule {}
