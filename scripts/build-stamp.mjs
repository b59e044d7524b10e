// What dist/ was built from: a digest of the sources and build settings, written beside the
// build by `npm run build` and compared by `npm start` (scripts/start.mjs).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';

const ROOT = join(import.meta.dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-hash');
const INPUTS = [
  'src',
  'console',
  'scripts/build-console.mjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.kv.json',
  'clients/typescript/src',
  'nest-cli.json',
  'package-lock.json',
];

/**
 * @param {string} path
 * @returns {string[]}
 */
function files(path) {
  if (!existsSync(path)) {
    return [];
  }
  try {
    return readdirSync(path, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((entry) => files(join(path, entry.name)));
  } catch {
    return [path];
  }
}

/** The digest of what a build reads. Contents, not times: a checkout touches every file. */
export function sourceDigest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ was built from the sources as they are now. */
export function isBuildCurrent() {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceDigest();
}

export function writeStamp() {
  writeFileSync(STAMP, sourceDigest());
}

if (process.argv[1] === import.meta.filename) {
  writeStamp();
}
