import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { loadOrCreateEmbeddedMasterKey } from './embedded-master-key';
import { MasterKeyRing } from './master-key-ring';

/** The ring from KV_MASTER_KEY(S), or, in embedded mode only, from a key file in KV_DATA_DIR. */
export const masterKeyRingProvider = {
  provide: MasterKeyRing,
  inject: [ConfigService],
  useFactory: (config: ConfigService<KvConfig, true>): MasterKeyRing => {
    const keys = config.get('crypto.masterKeys', { infer: true });
    if (keys !== undefined) {
      return new MasterKeyRing(keys);
    }
    // Config lets only embedded mode start without a master key.
    const dataDir = config.get('database.dataDir', { infer: true });
    const { key } = loadOrCreateEmbeddedMasterKey(dataDir);
    new Logger('MasterKeyRing').warn(
      `NO KV_MASTER_KEY SET: secret namespaces are encrypted with a key file in ${dataDir}, next to the data it protects. For development only; set KV_MASTER_KEY in production.`,
    );
    return new MasterKeyRing([key]);
  },
};
