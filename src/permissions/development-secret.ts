import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenToOwner } from '../common/fs/owner-only';

const FILE = 'auth-secret';

/** Path of the HS256 secret the embedded defaults sign and verify tokens with. */
export function developmentSecretPath(dataDir: string): string {
  return join(dataDir, FILE);
}

/** Reads the embedded signing secret, creating it (owner-only) on first start. */
export function loadOrCreateDevelopmentSecret(dataDir: string): string {
  const path = developmentSecretPath(dataDir);
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } else {
    // Whoever reads it can mint any token: narrowed if an earlier version left it open.
    tightenToOwner(path);
  }
  return readFileSync(path, 'utf8').trim();
}
