import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { expectEventually } from './expect-eventually';
import { TEST_SERVER_URL } from './test-env';

const run = promisify(execFile);

/** The Debian cluster (version and name) that serves the test server's port. */
function cluster(): [string, string] {
  const port = new URL(TEST_SERVER_URL).port || '5432';
  const fields = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((columns) => columns[2] === port);
  if (!fields) {
    throw new Error(`no local PostgreSQL cluster serves port ${port} (pg_lsclusters)`);
  }
  return [fields[0], fields[1]];
}

async function pgCtlCluster(...args: string[]): Promise<void> {
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster(), ...args], {
    timeout: 60000,
  });
}

async function acceptsConnections(): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Stops the test server as an operator's `-m fast` does: open sessions are cut. */
export function stopPostgres(): Promise<void> {
  return pgCtlCluster('stop', '-m', 'fast');
}

/** Starts the test server unless it runs, and resolves once it accepts connections. */
export async function startPostgres(): Promise<void> {
  // Fails when the server already runs; whether it serves is what the wait below decides.
  await pgCtlCluster('start').catch(() => undefined);
  await expectEventually(acceptsConnections, 60000, 250);
}
