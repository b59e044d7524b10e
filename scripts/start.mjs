// `npm start`: builds dist/ only when a source or build setting changed since the last build,
// then runs the service in this process: a restart takes the service's own start-up time,
// not a compile and another process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { isBuildCurrent } from './build-stamp.mjs';

const ROOT = join(import.meta.dirname, '..');

if (!isBuildCurrent()) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
}
await import(join(ROOT, 'dist', 'main.js'));
