import { Module } from '@nestjs/common';
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

@Module({
  imports: [EntryStoreModule, NamespacesModule],
  controllers: [EntriesController, BulkController, TransferController],
  providers: [EntriesService, BulkService, EntryResponses, ExportService, ImportService],
})
export class EntriesModule {}
