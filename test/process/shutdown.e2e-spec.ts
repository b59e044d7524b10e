import { mkdtempSync, rmSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, startService } from '../utils/service-process';

describe('stopping', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let stalled: Socket;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-stop-'));
    service = await startService({ KV_DATA_DIR: dataDir }, 120000);
  });

  afterAll(async () => {
    stalled?.destroy();
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is not held up by a client that stalls mid-request', async () => {
    const { port } = new URL(service.url);
    stalled = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    const dropped = new Promise((resolve) => stalled.once('close', resolve));
    // Headers begun, never finished: Node counts the request as in progress until its
    // headers timeout, a minute away.
    stalled.write('GET /health/live HTTP/1.1\r\nHost: kv\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const ended = await service.stop('SIGTERM');

    expect(ended).toBe('SIGTERM');
    await dropped;
    expect(service.output()).not.toMatch(/"level":50/);
    // Not a timing target: without the bound, the stop waits out the stalled headers (60 s+).
  }, 30000);
});
