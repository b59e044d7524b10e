import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { developmentSecretPath } from '../../src/permissions/development-secret';
import { runServiceToExit, startService } from '../utils/service-process';
import { TEST_SERVER_URL, databaseUrl, serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const KEY = randomBytes(32).toString('base64');
const SERVER_ENV = serviceEnv('postgres://postgres@127.0.0.1:5432/unused');

describe('start-up', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-startup-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/kv' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['KV_MASTER_KEY', { ...SERVER_ENV, KV_MASTER_KEY: undefined }],
    ['KV_MASTER_KEY', { KV_MASTER_KEY: 'c2hvcnQ=' }],
    ['KV_MASTER_KEY', { KV_MASTER_KEY: '!'.repeat(44) }],
    ['KV_MASTER_KEYS', { KV_MASTER_KEYS: 'k1' }],
    ['KV_MASTER_KEYS', { KV_MASTER_KEYS: `k1:${KEY},k1:${KEY}` }],
    ['KV_MASTER_KEYS', { KV_MASTER_KEYS: `k1:${KEY}`, KV_MASTER_KEY: KEY }],
    ['AUTH_JWT_SECRET', { ...SERVER_ENV, AUTH_JWT_SECRET: undefined }],
    ['AUTH_JWT_SECRET', { AUTH_JWT_SECRET: 'too-short' }],
    ['AUTH_JWKS_URL', { AUTH_JWKS_URL: 'ftp://idp/jwks' }],
    ['RABBITMQ_URL', { RABBITMQ_URL: 'http://localhost:5672' }],
    ['KV_EVENTS_EXCHANGE', { KV_EVENTS_EXCHANGE: 'kv events' }],
    ['KV_MAX_VALUE_BYTES', { KV_MAX_VALUE_BYTES: '0' }],
    ['KV_MAX_BODY_BYTES', { KV_MAX_BODY_BYTES: '1MB' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('stops with exit code 1 and one line naming %s', async (variable, overrides) => {
    const env = Object.fromEntries(
      Object.entries({ KV_DATA_DIR: dataDir, ...overrides }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const { code, output } = await runServiceToExit(env);
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(lines[0]).not.toContain(KEY);
  });

  it('stops with one line when KV_DATA_DIR cannot be written', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    const { code, output } = await runServiceToExit({ KV_DATA_DIR: join(file, 'sub') });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringContaining('KV_DATA_DIR')]);
  });

  it('runs on the embedded database, says so, prints an admin token, and keeps data across a restart', async () => {
    const first = await startService({ KV_DATA_DIR: dataDir, LOG_LEVEL: 'trace' }, 120000);
    const adminToken = /Development admin token[^\n]*\n(\S+)/.exec(first.output())?.[1];
    expect(adminToken).toBeDefined();
    const created = await fetch(`${first.url}/api/v1/kv/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        name: 'survivor',
        applicationId: 'app-1',
        description: 'marker-in-body',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const minted = await new Tokens(
      readFileSync(developmentSecretPath(dataDir), 'utf8').trim(),
    ).mint();
    expect(
      (
        await fetch(`${first.url}/api/v1/kv/namespaces/${id}`, {
          headers: { authorization: `Bearer ${minted}` },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(`${first.url}/api/v1/kv/namespaces`)).status).toBe(401);
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${minted}` };
    const vault = await fetch(`${first.url}/api/v1/kv/namespaces`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'vault', applicationId: 'app-1', isSecretNamespace: true }),
    });
    const vaultId = ((await vault.json()) as { id: string }).id;
    const secretUrl = `${first.url}/api/v1/kv/${vaultId}/entries/db/password`;
    const stored = await fetch(secretUrl, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ value: 'secret-marker-value', valueType: 'STRING' }),
    });
    expect(stored.status).toBe(201);
    expect(
      ((await (await fetch(secretUrl, { headers: auth })).json()) as { value: string }).value,
    ).toBe('secret-marker-value');
    await fetch(secretUrl, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ value: 'secret-marker-value', valueType: 'NUMBER' }),
    });
    // Nest closes everything, then re-raises the signal so the exit status tells how it ended.
    expect(await first.stop('SIGTERM')).toBe('SIGTERM');
    const output = first.output();
    expect(output.match(/Embedded database/g)).toHaveLength(1);
    expect(output.split(adminToken!)).toHaveLength(2);
    expect(output).not.toContain(minted.split('.')[2]);
    expect(output).not.toContain('marker-in-body');
    expect(output).not.toContain('secret-marker-value');
    expect(output).toContain('NO KV_MASTER_KEY SET');
    expect(output).toContain('"statusCode":401');

    const second = await startService({ KV_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000);
    try {
      const read = await fetch(`${second.url}/api/v1/kv/namespaces/${id}`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ name: 'survivor', applicationId: 'app-1' });
    } finally {
      await second.stop();
    }
  });

  it('runs the built service on a real PostgreSQL given by DATABASE_URL', async () => {
    const name = `kv_startup_${Date.now()}_${process.pid}`;
    const admin = new Client({ connectionString: TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const env = { ...serviceEnv(databaseUrl(name)), KV_DATA_DIR: dataDir };
      const service = await startService(env);
      try {
        const token = await new Tokens(env.AUTH_JWT_SECRET).mint();
        const created = await fetch(`${service.url}/api/v1/kv/namespaces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ name: 'on-postgres', applicationId: 'app-1' }),
        });
        expect(created.status).toBe(201);
        expect(service.output()).not.toContain('Embedded database');
        expect(service.output()).not.toContain('Development admin token');
      } finally {
        expect(await service.stop('SIGTERM')).toBe('SIGTERM');
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
