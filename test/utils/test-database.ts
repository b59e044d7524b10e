import { Client, QueryResultRow } from 'pg';
import { TEST_SERVER_URL, databaseUrl } from './test-env';

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test server, for services run as child processes. */
export class TestDatabase {
  readonly name: string;
  readonly url: string;

  constructor(prefix: string) {
    this.name = `kv_${prefix}_${Date.now()}_${process.pid}`;
    this.url = databaseUrl(this.name);
  }

  create(): Promise<void> {
    return onServer(`CREATE DATABASE "${this.name}"`);
  }

  drop(): Promise<void> {
    return onServer(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
  }

  /** One query on a connection of its own, so it works whatever happened to earlier ones. */
  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
}
