import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataKeysService } from './data-keys.service';
import { masterKeyRingProvider } from './master-key-ring.provider';
import { NamespaceDataKeyEntity } from './namespace-data-key.entity';
import { SealStatusService } from './seal-status.service';

/** Envelope encryption: the only module that touches node:crypto for data. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([NamespaceDataKeyEntity])],
  providers: [masterKeyRingProvider, DataKeysService, SealStatusService],
  exports: [DataKeysService, SealStatusService],
})
export class CryptoModule {}
