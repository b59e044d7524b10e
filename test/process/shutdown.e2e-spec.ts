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
    const answered = new Promise<string>((resolve) =>
      stalled.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))),
    );
    // A whole request, then, in the same write, the headers of a second one begun and never
    // finished: Node counts that one as in progress until its headers timeout.
    stalled.write(
      'GET /health/live HTTP/1.1\r\nHost: kv\r\n\r\n' + 'GET /health/live HTTP/1.1\r\nHost: kv\r\n',
    );
    // The answer to the first shows the server has read the second's beginning: the stop
    // below meets a request in progress, not an idle connection it would close at once.
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);

    const ended = await service.stop('SIGTERM');

    expect(ended).toBe('SIGTERM');
    await dropped;
    expect(service.output()).not.toMatch(/"level":50/);
    // Not a timing target: without the bound, the stop waits out the stalled headers (60 s+).
  }, 30000);
});
