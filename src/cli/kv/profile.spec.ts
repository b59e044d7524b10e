import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error';
import { profilePath, readProfile, writeProfile } from './profile';

describe('profile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-profile-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives in KV_CONFIG, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(profilePath({ KV_CONFIG: '/x/y' })).toBe('/x/y');
    expect(profilePath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/kv/config');
    expect(profilePath({})).toMatch(/\/\.config\/kv\/config$/);
  });

  it('is written 0600, even over a file that was not', () => {
    const path = join(dir, 'kv', 'config');
    writeProfile(path, { url: 'http://a', token: 't' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o644);
    writeProfile(path, { url: 'http://b', token: 'u' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readProfile(path)).toEqual({ url: 'http://b', token: 'u' });
  });

  it('is refused when others may read it, and when it is not JSON', () => {
    const path = join(dir, 'config');
    writeFileSync(path, '{"token":"t"}', { mode: 0o640 });
    expect(() => readProfile(path)).toThrow(CliError);
    writeFileSync(path, 'token=t', { mode: 0o600 });
    chmodSync(path, 0o600);
    expect(() => readProfile(path)).toThrow(/not a JSON object/);
  });

  it('is empty when there is none', () => {
    expect(readProfile(join(dir, 'absent'))).toEqual({});
  });
});
