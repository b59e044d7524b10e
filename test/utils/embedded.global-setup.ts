import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from './service-process';

declare global {
  var kvEmbeddedService: Awaited<ReturnType<typeof startService>> | undefined;
}

/**
 * The built service on its embedded database, as `npm start` runs it: PGlite cannot start
 * inside Jest's sandbox, and a child process is the honest test of the default mode anyway.
 */
export default async function setup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kv-embedded-'));
  const service = await startService({ KV_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000);
  globalThis.kvEmbeddedService = service;
  process.env.KV_TEST_BASE_URL = service.url;
  process.env.KV_EMBEDDED_DATA_DIR = dataDir;
}
