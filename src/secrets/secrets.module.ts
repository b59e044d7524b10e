import { Module } from '@nestjs/common';
import { EntryStoreModule } from '../entries/store/entry-store.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { RecoveryController } from './recovery.controller';
import { RecoveryService } from './recovery.service';
import { SecretsController } from './secrets.controller';
import { SecretsService } from './secrets.service';

@Module({
  imports: [EntryStoreModule, NamespacesModule],
  controllers: [SecretsController, RecoveryController],
  providers: [SecretsService, RecoveryService],
})
export class SecretsModule {}
