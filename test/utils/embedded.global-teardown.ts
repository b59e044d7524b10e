import { rmSync } from 'node:fs';

export default async function teardown(): Promise<void> {
  await globalThis.kvEmbeddedService?.stop();
  const dataDir = process.env.KV_EMBEDDED_DATA_DIR;
  if (dataDir) {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
