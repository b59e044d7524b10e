import { Client } from 'pg';
import { TEST_SERVER_URL } from './test-env';

export default async function teardown(): Promise<void> {
  const name = process.env.KV_E2E_DATABASE;
  if (!name) {
    return;
  }
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}
