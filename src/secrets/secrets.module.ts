import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EntryStoreModule } from '../entries/entry-store.module';
import { EntryVersionEntity } from './entry-version.entity';
import { RecoveryController } from './recovery.controller';
import { RecoveryService } from './recovery.service';
import { SecretsController } from './secrets.controller';
import { SecretsService } from './secrets.service';

@Module({
  imports: [TypeOrmModule.forFeature([EntryVersionEntity]), EntryStoreModule],
  controllers: [SecretsController, RecoveryController],
  providers: [SecretsService, RecoveryService],
  exports: [SecretsService],
})
export class SecretsModule {}
