import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { BulkController } from './bulk/bulk.controller';
import { BulkService } from './bulk/bulk.service';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';
import { EntryResponses } from './entry-responses.service';
import { EntryStoreModule } from './store/entry-store.module';
import { ExportService } from './transfer/export.service';
import { ImportService } from './transfer/import.service';
import { TransferController } from './transfer/transfer.controller';
import { RestoreService } from './snapshots/restore.service';
import { SnapshotEntity } from './snapshots/snapshot.entity';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { SnapshotsService } from './snapshots/snapshots.service';

@Module({
  imports: [EntryStoreModule, NamespacesModule, TypeOrmModule.forFeature([SnapshotEntity])],
  controllers: [EntriesController, BulkController, TransferController, SnapshotsController],
  providers: [
    EntriesService,
    BulkService,
    EntryResponses,
    ExportService,
    ImportService,
    SnapshotsService,
    RestoreService,
  ],
})
export class EntriesModule {}
