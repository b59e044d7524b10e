import { Module } from '@nestjs/common';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { SecretsModule } from '../secrets/secrets.module';
import { BulkController } from './bulk.controller';
import { BulkService } from './bulk.service';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';
import { EntryStoreModule } from './entry-store.module';
import { TtlSweeper } from './ttl-sweeper.service';

@Module({
  imports: [EntryStoreModule, NamespacesModule, SecretsModule],
  controllers: [EntriesController, BulkController],
  providers: [EntriesService, BulkService, TtlSweeper],
})
export class EntriesModule {}
