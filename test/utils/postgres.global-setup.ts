import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_SERVER_URL, databaseUrl } from './test-env';

/** A fresh database for this run; the suites share it and each makes its own data. */
export default async function setup(): Promise<void> {
  const name = `kv_e2e_${Date.now()}_${process.pid}`;
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  process.env.KV_E2E_DATABASE = name;
  process.env.KV_E2E_DATABASE_URL = databaseUrl(name);
  process.env.KV_E2E_MASTER_KEY = randomBytes(32).toString('base64');
}
