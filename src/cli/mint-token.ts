import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/load-config';
import {
  developmentSecretPath,
  loadOrCreateDevelopmentSecret,
} from '../permissions/development-secret';
import { KvPermission } from '../permissions/kv-permission.enum';
import { mintToken } from '../permissions/token-minter';

const USAGE =
  'usage: npm run token -- --sub alice --permissions kv-entry:read,kv-entry:write --applications app-1 [--ttl 1h]\n' +
  '   or: node dist/cli/mint-token.js --sub alice …   (after npm run build; in the image as it is)';
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

function list(value: string | undefined, name: string): string[] {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) {
    fail(`--${name} needs at least one value`);
  }
  return items;
}

function ttlSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value);
  if (!match || Number(match[1]) === 0) {
    fail('--ttl must be a positive number of seconds, or end in s, m, h or d (e.g. 90m, 1h, 7d)');
  }
  return Number(match[1]) * UNITS[match[2] || 's'];
}

/** Mints an HS256 token from AUTH_JWT_SECRET (or the embedded secret in KV_DATA_DIR). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      permissions: { type: 'string' },
      applications: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  if (!values.sub) {
    fail('--sub is required');
  }
  const permissions = list(values.permissions, 'permissions');
  const known = Object.values(KvPermission) as string[];
  const unknown = permissions.filter((permission) => !known.includes(permission));
  if (unknown.length > 0) {
    fail(`unknown permission(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const dataDir = config.database.dataDir;
  const secret =
    config.auth.jwtSecret ??
    (config.auth.jwksUrl === undefined && existsSync(developmentSecretPath(dataDir))
      ? loadOrCreateDevelopmentSecret(dataDir)
      : fail('set AUTH_JWT_SECRET (or run in embedded mode, whose secret lives in KV_DATA_DIR)'));
  console.log(
    await mintToken(secret, {
      sub: values.sub,
      permissions,
      applications: list(values.applications, 'applications'),
      ttlSeconds: ttlSeconds(values.ttl),
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    }),
  );
}

void main();
