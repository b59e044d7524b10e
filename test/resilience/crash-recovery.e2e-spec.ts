import { randomUUID } from 'node:crypto';
import { EventConsumer, TEST_RABBITMQ_URL } from '../utils/event-consumer';
import { expectEventually } from '../utils/expect-eventually';
import { ServiceClient } from '../utils/service-client';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { ServiceEnv, serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 60;

interface AckedWrite {
  namespaceId: string;
  key: string;
  value: string;
  requestId: string;
}

describe('a crash during a burst of writes', () => {
  const db = new TestDatabase('crash');
  const consumer = new EventConsumer(`kv.events.test-${randomUUID()}`);
  const services: ServiceProcess[] = [];
  let env: ServiceEnv;
  let token: string;

  beforeAll(async () => {
    await db.create();
    await consumer.connect();
    env = {
      ...serviceEnv(db.url),
      RABBITMQ_URL: TEST_RABBITMQ_URL,
      KV_EVENTS_EXCHANGE: consumer.exchange,
    };
    token = await new Tokens(env.AUTH_JWT_SECRET).mint();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await consumer.close();
    await db.drop();
  });

  async function start(): Promise<[ServiceProcess, ServiceClient]> {
    const service = await startService(env);
    services.push(service);
    return [service, new ServiceClient(service.url, token)];
  }

  it('keeps every acknowledged write, with its audit row and its event, across a SIGKILL', async () => {
    const [victim, first] = await start();
    const namespaceIds = [
      await first.namespace(),
      await first.namespace({ isSecretNamespace: true }),
    ];
    const acked: AckedWrite[] = [];
    const unexpected: string[] = [];
    let cutOff = 0;
    let crashed: Promise<number | string | null> | undefined;
    let next = 0;
    const writer = async () => {
      while (!crashed && victim.child.exitCode === null) {
        const i = next++;
        const write = {
          namespaceId: namespaceIds[i % 2],
          key: `burst/${i}`,
          value: `value-${i}`,
          requestId: `crash-${randomUUID()}`,
        };
        try {
          const reply = await first.send(
            'PUT',
            `${API}/${write.namespaceId}/entries/${write.key}`,
            { value: write.value, valueType: 'STRING' },
            { 'x-request-id': write.requestId },
          );
          if (reply.status === 201) {
            acked.push(write);
          } else {
            unexpected.push(`${write.key}: ${reply.status}`);
          }
        } catch {
          cutOff += 1;
        }
        if (acked.length >= KILL_AFTER_ACKS) {
          crashed ??= victim.stop('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, writer));
    expect(await crashed).toBe('SIGKILL');
    expect(unexpected).toEqual([]);
    // The other writers had requests in flight when the process died.
    expect(cutOff).toBeGreaterThan(0);

    const [, second] = await start();
    for (const namespaceId of namespaceIds) {
      const writes = acked.filter((w) => w.namespaceId === namespaceId);
      const found = await second.entries(
        namespaceId,
        writes.map((w) => w.key),
      );
      expect(writes.filter((w) => found.get(w.key)?.value !== w.value)).toEqual([]);
      expect(writes.filter((w) => found.get(w.key)?.version !== 1)).toEqual([]);
    }
    const audited = await db.query<{ request_id: string }>(
      `SELECT request_id FROM audit_log
       WHERE request_id = ANY($1) AND action = 'WRITE' AND success AND status_code = 201`,
      [acked.map((w) => w.requestId)],
    );
    expect(audited.map((row) => row.request_id).sort()).toEqual(
      acked.map((w) => w.requestId).sort(),
    );
    // Whatever committed, acknowledged or cut off, has its audit row and, in time, its event.
    const committed = await db.query<{ key: string; audited: boolean }>(
      `SELECT e.namespace_id || ' ' || e.key_path AS key, EXISTS (
         SELECT 1 FROM audit_log a WHERE a.namespace_id = e.namespace_id
           AND a.key_path = e.key_path AND a.action = 'WRITE' AND a.success) AS audited
       FROM entries e WHERE e.namespace_id = ANY($1)`,
      [namespaceIds],
    );
    expect(committed.filter((row) => !row.audited)).toEqual([]);
    const committedKeys = committed.map((row) => row.key).sort();
    expect(committedKeys).toEqual(
      expect.arrayContaining(acked.map((w) => `${w.namespaceId} ${w.key}`)),
    );
    await expectEventually(() => {
      const announced = consumer.received
        .filter((e) => e.routingKey === 'kv.entry.created')
        .map((e) => [e.body.namespaceId, e.body.keyPath].join(' '));
      expect([...new Set(announced)].sort()).toEqual(committedKeys);
    }, 30000);
    // An event published again after the crash keeps its eventId, so consumers can drop it.
    const eventIds = new Map<string, Set<string | undefined>>();
    for (const event of consumer.received) {
      const key = [event.body.namespaceId, event.body.keyPath].join(' ');
      eventIds.set(key, (eventIds.get(key) ?? new Set()).add(event.messageId));
    }
    expect([...eventIds].filter(([, ids]) => ids.size !== 1)).toEqual([]);
  });
});
