import { Module } from '@nestjs/common';
import { SecretsModule } from '../secrets/secrets.module';
import { BulkController } from './bulk.controller';
import { BulkService } from './bulk.service';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';
import { EntryStoreModule } from './entry-store.module';
import { TtlSweeper } from './ttl-sweeper.service';

@Module({
  imports: [EntryStoreModule, SecretsModule],
  controllers: [EntriesController, BulkController],
  providers: [EntriesService, BulkService, TtlSweeper],
})
export class EntriesModule {}
