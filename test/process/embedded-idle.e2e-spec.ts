import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentSecretPath } from '../../src/permissions/development-secret';
import { expectEventually } from '../utils/expect-eventually';
import { connectionsToOwnListener } from '../utils/process-sockets';
import { ServiceClient } from '../utils/service-client';
import { ServiceProcess, startService } from '../utils/service-process';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';
// Idle connections close after 10 s in production; here after 0.2 s.
const IDLE_TIMEOUT_MS = 200;

describe('the embedded default, left idle', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let client: ServiceClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-idle-'));
    service = await startService(
      { KV_DATA_DIR: dataDir, LOG_LEVEL: 'warn', KV_DB_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS) },
      120000,
    );
    const secret = readFileSync(developmentSecretPath(dataDir), 'utf8').trim();
    client = new ServiceClient(service.url, await new Tokens(secret).mint());
  });

  /** Waits until the pool has closed its connection to the embedded database for idleness. */
  const idle = (): Promise<void> =>
    expectEventually(() => {
      const httpPort = Number(new URL(service.url).port);
      expect(connectionsToOwnListener(service.child.pid!, httpPort)).toBe(0);
    }, 50 * IDLE_TIMEOUT_MS);

  afterAll(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves every kind of request after its connection was closed for idleness, again and again', async () => {
    const plain = await client.namespace();
    const secret = await client.namespace({ isSecretNamespace: true });
    for (let round = 1; round <= 3; round += 1) {
      await idle();
      const put = await client.send('PUT', `${API}/${plain}/entries/config/db/host`, {
        value: `db-${round}`,
        valueType: 'STRING',
      });
      expect(put.status).toBe(round === 1 ? 201 : 200);
      await idle();
      const get = await client.send<{ value: string }>(
        'GET',
        `${API}/${plain}/entries/config/db/host`,
      );
      expect(get.status).toBe(200);
      expect(get.body.value).toBe(`db-${round}`);
      await idle();
      const list = await client.send<{ items: { keyPath: string }[] }>(
        'GET',
        `${API}/${plain}/entries?prefix=config/`,
      );
      expect(list.body.items.map((item) => item.keyPath)).toEqual(['config/db/host']);
      await idle();
      const rotated = await client.send('PUT', `${API}/${secret}/entries/api/token`, {
        value: `t-${round}`,
        valueType: 'STRING',
      });
      expect(rotated.status).toBe(round === 1 ? 201 : 200);
      await idle();
      const bulk = await client.send<{ items: { value: string }[] }>(
        'POST',
        `${API}/${secret}/bulk/get`,
        { keys: ['api/token'] },
      );
      expect(bulk.body.items.map((item) => item.value)).toEqual([`t-${round}`]);
      await idle();
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
    }
    expect(service.output()).not.toMatch(/already exists/);
  });
});
