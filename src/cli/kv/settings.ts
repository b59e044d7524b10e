import type { Client } from 'openapi-fetch';
import { createKvClient, type paths } from '../../../clients/typescript/src';
import { CliError } from './cli-error';
import { profilePath, readProfile } from './profile';

export type OutputFormat = 'json' | 'table' | 'raw';

/** The options every command takes. */
export interface GlobalOptions {
  url?: string;
  token?: string;
  output?: OutputFormat;
}

/** How a command reaches the service and prints: flags first, then KV_URL/KV_TOKEN, then the profile. */
export interface Settings {
  url: string;
  output: OutputFormat | undefined;
  client: Client<paths>;
}

export function settingsOf(options: GlobalOptions, env: NodeJS.ProcessEnv): Settings {
  const profile =
    options.url !== undefined && options.token !== undefined ? {} : readProfile(profilePath(env));
  const url = options.url ?? env.KV_URL ?? profile.url;
  const token = options.token ?? env.KV_TOKEN ?? profile.token;
  if (url === undefined) {
    throw new CliError('no service URL: pass --url, set KV_URL or run kv login');
  }
  if (token === undefined) {
    throw new CliError('no token: pass --token, set KV_TOKEN or run kv login');
  }
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new CliError(`${url} is not a URL such as http://127.0.0.1:3000`);
  }
  return { url: origin, output: options.output, client: createKvClient(origin, token) };
}
