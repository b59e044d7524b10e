import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error';

/** What a profile file holds: where the service is and the token to call it with. */
export interface Profile {
  url?: string;
  token?: string;
}

/** `$KV_CONFIG`, or `$XDG_CONFIG_HOME/kv/config`, or `~/.config/kv/config`. */
export function profilePath(env: NodeJS.ProcessEnv): string {
  return env.KV_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'kv', 'config');
}

/** The profile, if there is one; refused when others may read it, as ssh refuses a key. */
export function readProfile(path: string): Profile {
  if (!existsSync(path)) {
    return {};
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new CliError(
      `${path} holds a token but is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`,
    );
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Profile;
    return { url: parsed.url, token: parsed.token };
  } catch {
    throw new CliError(`${path} is not a JSON object of url and token; run kv login again`);
  }
}

/** Writes the profile readable by its owner only (0600), its folder 0700. */
export function writeProfile(path: string, profile: Profile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  // An existing file keeps its mode through writeFileSync.
  chmodSync(path, 0o600);
}
