import { resolve } from 'node:path';
import { writeOwnerOnlyFile } from '../common/fs/owner-only';

const FILE = 'admin-token';

/**
 * Saves the development admin token of this start in KV_DATA_DIR, owner-only, replacing the
 * previous start's, so a shell or a script can read it instead of the console; returns its path.
 */
export function saveAdminToken(dataDir: string, token: string): string {
  const path = resolve(dataDir, FILE);
  writeOwnerOnlyFile(path, `${token}\n`);
  return path;
}
