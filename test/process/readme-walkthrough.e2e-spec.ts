import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, startService } from '../utils/service-process';
import { TEST_RABBITMQ_URL } from '../utils/event-consumer';

const ROOT = join(__dirname, '..', '..');

/** The shell blocks of README.md's walkthrough, in order. */
function walkthroughBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- walkthrough:begin -->([\s\S]*)<!-- walkthrough:end -->/.exec(readme);
  if (section === null) {
    throw new Error('README.md has no walkthrough section');
  }
  return [...section[1].matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe("README's walkthrough", () => {
  let dataDir: string;
  let service: ServiceProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-walkthrough-'));
    // As its events step says to start it: the embedded defaults and a broker.
    service = await startService(
      { KV_DATA_DIR: dataDir, RABBITMQ_URL: TEST_RABBITMQ_URL, LOG_LEVEL: 'warn' },
      120000,
    );
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs top to bottom as pasted, and every step answers what its text says', () => {
    const blocks = walkthroughBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    // The README speaks of the default port and data directory; this service has its own.
    const script = ['set -euo pipefail', ...blocks]
      .join('\n')
      .replaceAll('http://127.0.0.1:3000', service.url)
      .replaceAll('data/admin-token', join(dataDir, 'admin-token'))
      .replaceAll('amqp://guest:guest@127.0.0.1:5672', TEST_RABBITMQ_URL);

    const run = spawnSync('bash', ['-c', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KV_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 110000,
    });

    const out = run.stdout;
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      // The event watcher's own line, and no complaint of curl or jq.
      stderr: expect.stringContaining('watching kv.events for # for 5 s\n'),
    });
    expect(run.stderr).not.toMatch(/curl:|jq:|error/i);
    const expected = [
      '{"keyPath":"config/database/host","value":"db.internal","valueType":"STRING","version":1}',
      '{"keyPath":"config/http/client","value":{"retries":3,"backoffMs":[100,400]},"valueType":"JSON","version":1}',
      '{"keyPath":"certs/ca-bundle","value":"LS0tLS1CRUdJTi0tLS0t","valueType":"BINARY","version":1}',
      '{"keys":["config/database/host","config/database/port"],"nextCursor":',
      '{"value":"db-2.internal","version":2}',
      '{"status":412,"code":"PRECONDITION_FAILED"}',
      '{"status":409,"code":"VERSION_CONFLICT"}',
      '{"value":"sk_live_second","version":2}',
      '{"version":2,"changeReason":"rotation","changedBy":"admin"}',
      '{"value":"sk_live_first","version":3}',
      '{"values":[{"keyPath":"limits/orders-per-minute","value":600}],"missing":["limits/unknown"]}',
      '{"deleted":["limits/refunds-per-day"],"missing":["limits/unknown"]}',
      '{"keyPath":"config/database/port","value":5432}',
      '{"status":403,"code":"FORBIDDEN"}',
      '{"action":"WRITE","keyPath":"config/database/port","statusCode":403}',
      '{"keyPath":"config/database/port","value":6432,"valueType":"NUMBER","version":2}',
    ];
    for (const line of expected) {
      expect(out).toContain(line);
    }
    expect(out).toMatch(/^etag: "1"\r?$/im);
    expect(out).toContain('"keyPath": "config/database/host"');
    expect(out).toMatch(/^404$/m);
    // The broker may be shared: only the walkthrough's own application's events are its own.
    const events = out
      .split('\n')
      .filter((line) => line.startsWith('{"eventId"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((event) => event.applicationId === 'payments');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'kv.entry.updated',
        keyPath: 'config/database/port',
        version: 2,
      }),
    );
    expect(JSON.stringify(events)).not.toMatch(/6432|sk_live/);
  });
});
