/**
 * npm run bench:bulk — times 1000 single PUTs against one bulk set of 1000 entries (and a bulk
 * get of them) over HTTP, on a fresh database of the real PostgreSQL (TEST_DATABASE_URL).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/load-config';
import { mintToken } from '../src/permissions/token-minter';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = 1000;

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const name = `kv_bench_bulk_${Date.now()}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const secret = randomBytes(32).toString('hex');
  const app = await createApp(
    loadConfig({
      DATABASE_URL: url.toString(),
      KV_MASTER_KEY: randomBytes(32).toString('base64'),
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      PORT: '0',
    }),
  );
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}/api/v1/kv`;
  const token = await mintToken(secret, {
    sub: 'bench',
    permissions: ['kv-namespace:write', 'kv-entry:read', 'kv-entry:write'],
    applications: ['*'],
    ttlSeconds: 600,
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(`${path}: ${res.status}`);
    }
    return res.json() as Promise<{ id: string }>;
  };
  try {
    const results: Record<string, number> = {};
    for (const secretNamespace of [false, true]) {
      const kind = secretNamespace ? 'secret' : 'plain';
      const single = (
        await post('/namespaces', {
          name: `single-${kind}`,
          applicationId: 'bench',
          isSecretNamespace: secretNamespace,
        })
      ).id;
      const batched = (
        await post('/namespaces', {
          name: `bulk-${kind}`,
          applicationId: 'bench',
          isSecretNamespace: secretNamespace,
        })
      ).id;
      const entries = Array.from({ length: N }, (_, i) => ({
        key: `config/service/key-${i}`,
        value: `value-${i}`,
        valueType: 'STRING',
      }));
      results[`${N} single PUTs, one after another (${kind})`] = await timed(async () => {
        for (const entry of entries) {
          const res = await fetch(`${base}/${single}/entries/${entry.key}`, {
            method: 'PUT',
            headers,
            body: JSON.stringify(entry),
          });
          await res.arrayBuffer();
        }
      });
      results[`1 bulk set of ${N} (${kind})`] = await timed(
        async () => void (await post(`/${batched}/bulk/set`, { entries })),
      );
      results[`1 bulk get of ${N} (${kind})`] = await timed(
        async () => void (await post(`/${batched}/bulk/get`, { keys: entries.map((e) => e.key) })),
      );
    }
    console.table(
      Object.fromEntries(Object.entries(results).map(([k, ms]) => [k, { ms: Math.round(ms) }])),
    );
  } finally {
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

void main();
