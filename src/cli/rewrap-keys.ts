import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/load-config';
import { DataKeysService } from '../crypto/data-keys.service';
import { loadOrCreateEmbeddedMasterKey } from '../crypto/embedded-master-key';
import { MasterKeyRing } from '../crypto/master-key-ring';
import { NamespaceDataKeyEntity } from '../crypto/namespace-data-key.entity';
import { dataSourceOptions } from '../database/data-source-options';
import { EmbeddedDatabase } from '../database/embedded-database';
import { progress } from './kv/progress';

const USAGE = `usage: npm run keys:rewrap   (or: node dist/cli/rewrap-keys.js)
Re-wraps every data key of the secret namespaces under the active master key, the first of
KV_MASTER_KEYS (or KV_MASTER_KEY), reading the same variables as the service: DATABASE_URL, or
KV_DATA_DIR for the embedded database (stop the service first: PGlite opens its directory for
one process). Prints {"activeMasterKeyId", "dataKeysByMasterKeyId"}; exit code 2 while data keys
remain on a master key that is not in the ring. On a terminal, a progress bar on standard error.`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

/**
 * npm run keys:rewrap: re-wraps every data key under the active master key (the first of
 * KV_MASTER_KEYS) without touching a value row, then reports how many data keys each master
 * key still wraps. Safe to run while a service on PostgreSQL runs; run it again after an
 * interruption.
 */
async function main(): Promise<void> {
  try {
    if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
      console.log(USAGE);
      return;
    }
  } catch (error) {
    fail(String((error as Error).message));
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const embedded =
    config.database.url === undefined ? EmbeddedDatabase.of(config.database.dataDir) : undefined;
  if (embedded && !existsSync(embedded.pgDataDir)) {
    fail(`no embedded database in ${config.database.dataDir}: set DATABASE_URL or KV_DATA_DIR`);
  }
  const target = embedded ? await embedded.start() : { url: config.database.url! };
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    const ring = new MasterKeyRing(
      config.crypto.masterKeys ?? [loadOrCreateEmbeddedMasterKey(config.database.dataDir).key],
    );
    const dataKeys = new DataKeysService(ring, dataSource.getRepository(NamespaceDataKeyEntity));
    const before = await dataKeys.keyIdCounts();
    const toRewrap = Object.entries(before)
      .filter(([id]) => id !== ring.active.id)
      .reduce((sum, [, count]) => sum + count, 0);
    const bar = progress('keys:rewrap', toRewrap, 'data keys');
    let counts;
    try {
      counts = await dataKeys.rewrapAll((rewrapped) => bar.update(rewrapped));
    } finally {
      bar.stop();
    }
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

main().catch((error: unknown) => {
  console.error(`keys:rewrap failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
