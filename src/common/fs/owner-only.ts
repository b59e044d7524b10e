import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const OWNER_BITS = 0o700;
const GROUP_AND_OTHER_BITS = 0o077;

/**
 * Takes every permission of group and others away from an existing file or directory (a
 * key file copied with 0644, a data directory made by an earlier version), keeping the owner's.
 */
export function tightenToOwner(path: string): void {
  const { mode } = statSync(path);
  if ((mode & GROUP_AND_OTHER_BITS) !== 0) {
    chmodSync(path, mode & OWNER_BITS);
  }
}

/** Makes a directory (and missing parents) only its owner can enter; narrows one left looser. */
export function ensureOwnerOnlyDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
  tightenToOwner(path);
}

/**
 * Replaces a file's content with a file created owner-only, never a looser one rewritten: a
 * fresh file renamed over the old, so a reader sees the old or the new content, whole.
 */
export function writeOwnerOnlyFile(path: string, content: string): void {
  const fresh = `${path}.${process.pid}.tmp`;
  rmSync(fresh, { force: true });
  writeFileSync(fresh, content, { mode: FILE_MODE, flag: 'wx' });
  renameSync(fresh, path);
}
