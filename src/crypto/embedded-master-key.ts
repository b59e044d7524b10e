import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenToOwner } from '../common/fs/owner-only';
import type { MasterKey } from '../config/kv-config.types';
import { newKey } from './aes-gcm';

const FILE = 'master-key';

/** The embedded defaults' master key: a file beside the data, made on first start. */
export function loadOrCreateEmbeddedMasterKey(dataDir: string): {
  key: MasterKey;
  created: boolean;
} {
  const path = join(dataDir, FILE);
  const created = !existsSync(path);
  if (created) {
    writeFileSync(path, newKey().toString('base64'), { mode: 0o600, flag: 'wx' });
  } else {
    // A key file copied or restored with a looser mode is narrowed before it is used again.
    tightenToOwner(path);
  }
  return {
    key: { id: 'embedded', key: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64') },
    created,
  };
}
