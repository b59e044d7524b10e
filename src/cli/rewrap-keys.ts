import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/load-config';
import { DataKeysService } from '../crypto/data-keys.service';
import { loadOrCreateEmbeddedMasterKey } from '../crypto/embedded-master-key';
import { MasterKeyRing } from '../crypto/master-key-ring';
import { NamespaceDataKeyEntity } from '../crypto/namespace-data-key.entity';
import { dataSourceOptions } from '../database/data-source-options';
import { EmbeddedDatabase } from '../database/embedded-database';

/**
 * npm run keys:rewrap: re-wraps every data key under the active master key (the first of
 * KV_MASTER_KEYS) without touching a value row, then reports how many data keys each master
 * key still wraps. Safe to run while the service runs; run it again after an interruption.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const embedded =
    config.database.url === undefined ? EmbeddedDatabase.of(config.database.dataDir) : undefined;
  const target = embedded ? await embedded.start() : { url: config.database.url! };
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    const ring = new MasterKeyRing(
      config.crypto.masterKeys ?? [loadOrCreateEmbeddedMasterKey(config.database.dataDir).key],
    );
    const dataKeys = new DataKeysService(ring, dataSource.getRepository(NamespaceDataKeyEntity));
    const counts = await dataKeys.rewrapAll();
    console.log(
      JSON.stringify({ activeMasterKeyId: ring.active.id, dataKeysByMasterKeyId: counts }),
    );
    const stuck = Object.keys(counts).filter((id) => id !== ring.active.id);
    if (stuck.length > 0) {
      console.error(
        `Data keys remain on master key(s) ${stuck.join(', ')}: add them to KV_MASTER_KEYS and run again`,
      );
      process.exitCode = 2;
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

void main();
