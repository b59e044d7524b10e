import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { developmentSecretPath } from '../../src/permissions/development-secret';
import { EventConsumer, TEST_RABBITMQ_URL } from '../utils/event-consumer';
import { expectEventually } from '../utils/expect-eventually';
import { ServiceProcess, startService } from '../utils/service-process';
import { Tokens } from '../utils/tokens';

const MARKER = 'log-marker-c41d';

describe('logs at the most verbose level', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let consumer: EventConsumer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-logs-'));
    consumer = new EventConsumer(`kv.test.logs.${randomUUID()}`);
    await consumer.connect();
    service = await startService(
      {
        KV_DATA_DIR: dataDir,
        LOG_LEVEL: 'trace',
        RABBITMQ_URL: TEST_RABBITMQ_URL,
        KV_EVENTS_EXCHANGE: consumer.exchange,
      },
      120000,
    );
  });

  afterAll(async () => {
    await service?.stop();
    await consumer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hold no value, metadata or token, whatever the request did', async () => {
    const tokens = new Tokens(readFileSync(developmentSecretPath(dataDir), 'utf8').trim());
    const admin = await tokens.mint({ sub: 'log-test' });
    const reader = await tokens.only([KvPermission.EntryRead]);
    const call = (method: string, path: string, body?: unknown, token = admin) =>
      fetch(`${service.url}/api/v1/kv${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    const value = (n: number) => `${MARKER}-${n}`;

    const namespaces: string[] = [];
    for (const isSecretNamespace of [false, true]) {
      const res = await call('POST', '/namespaces', {
        name: `logs-${isSecretNamespace}`,
        applicationId: 'app-logs',
        isSecretNamespace,
      });
      namespaces.push(((await res.json()) as { id: string }).id);
    }
    for (const ns of namespaces) {
      const statuses = [
        (
          await call('PUT', `/${ns}/entries/db/password`, {
            value: value(1),
            valueType: 'STRING',
            metadata: { note: value(2) },
          })
        ).status,
        (await call('PUT', `/${ns}/entries/db/password`, { value: value(3), valueType: 'STRING' }))
          .status,
        (await call('GET', `/${ns}/entries/db/password`)).status,
        (await call('GET', `/${ns}/entries?includeValues=true`)).status,
        (
          await call('POST', `/${ns}/bulk/set`, {
            entries: [{ key: 'bulk/a', value: value(4), valueType: 'STRING' }],
          })
        ).status,
        (await call('POST', `/${ns}/bulk/get`, { keys: ['bulk/a', 'bulk/missing'] })).status,
        (await call('PUT', `/${ns}/entries/bad`, { value: value(5), valueType: 'NUMBER' })).status,
        (
          await call('PUT', `/${ns}/entries/bad`, {
            value: value(6),
            valueType: 'STRING',
            unknown: value(7),
          })
        ).status,
        (await call('PUT', `/${ns}/entries/bad`, `{"value":"${value(8)}",`)).status,
        (
          await call('PUT', `/${ns}/entries/bad`, {
            value: value(9).repeat(200_000),
            valueType: 'STRING',
          })
        ).status,
        (
          await call(
            'PUT',
            `/${ns}/entries/db/password`,
            { value: value(10), valueType: 'STRING' },
            reader,
          )
        ).status,
        (await call('GET', `/${ns}/entries/db/password`, undefined, `${admin.slice(0, -4)}AAAA`))
          .status,
      ];
      expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 400, 400, 400, 413, 403, 401]);
    }
    const vault = namespaces[1];
    expect(
      (await call('POST', `/${vault}/entries/db/password/rotate`, { value: value(11) })).status,
    ).toBe(200);
    expect(
      (await call('POST', `/${vault}/entries/db/password/rollback`, { version: 1 })).status,
    ).toBe(200);
    expect((await call('DELETE', `/${vault}/entries/db/password`)).status).toBe(204);
    // Events go out (and the relay logs) before the output is read.
    await expectEventually(() => expect(consumer.received.length).toBeGreaterThanOrEqual(11));

    const output = service.output();
    expect(output).toMatch(/"level":(10|20)/);
    expect(output).not.toContain(MARKER);
    for (const token of [admin, reader]) {
      expect(output).not.toContain(token.split('.')[2]);
    }
  });
});
