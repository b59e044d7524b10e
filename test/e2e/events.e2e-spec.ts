import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { EntryDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { EventConsumer, TEST_RABBITMQ_URL } from '../utils/event-consumer';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace, namespaceBody } from '../utils/factories';

const API = '/api/v1/kv';

// One file for every suite that needs the broker: the outage below stops it, and the suites of
// a file run one after another.

describe('events', () => {
  const exchange = `kv.events.test-${randomUUID()}`;
  const consumer = new EventConsumer(exchange);
  let sut: TestApp;

  beforeAll(async () => {
    await consumer.connect();
    sut = await createTestApp({
      env: { RABBITMQ_URL: TEST_RABBITMQ_URL, KV_EVENTS_EXCHANGE: exchange },
    });
  });

  afterAll(async () => {
    await sut.close();
    await consumer.close();
  });

  it('announces every kind of change with the contract fields and never a value', async () => {
    const marker = `value-marker-${randomUUID()}`;
    const http = sut.http(await sut.tokens.mint({ sub: 'event-actor' }));
    const namespace = await createNamespace(http, { isSecretNamespace: true });
    const ns = namespace.id;
    const entry = `${API}/${ns}/entries/db/password`;
    await http.put(`${API}/namespaces/${ns}`).send({ description: 'renamed' });
    const created = bodyOf<EntryDto>(
      await http.put(entry).send({ value: marker, valueType: 'STRING' }),
    );
    await http.put(entry).send({ value: `${marker}-2`, valueType: 'STRING' });
    await http.post(`${entry}/rotate`).send({ value: `${marker}-3` });
    await http.post(`${entry}/rollback`).send({ version: 1 });
    await http
      .put(`${API}/${ns}/entries/short`)
      .send({ value: marker, valueType: 'STRING', ttlSeconds: 1 });
    await http.delete(entry);
    await http.post(`${entry}/restore`);
    await expectEventually(async () => {
      expect((await http.get(`${API}/${ns}/entries/short`)).status).toBe(404);
    });
    await sut.app!.get(TtlSweeper).sweep();
    // The expired secret's recovery window ends.
    await sut
      .app!.get(DataSource)
      .query(
        `UPDATE entries SET recoverable_until = now() WHERE namespace_id = $1 AND key_path = 'short'`,
        [ns],
      );
    await sut.app!.get(TtlSweeper).sweep();
    await http.delete(`${API}/namespaces/${ns}`);

    const expected = [
      'kv.namespace.created',
      'kv.namespace.updated',
      'kv.entry.created',
      'kv.entry.updated',
      'kv.entry.rotated',
      'kv.entry.rolled_back',
      'kv.entry.created',
      'kv.entry.deleted',
      'kv.entry.restored',
      'kv.entry.expired',
      'kv.entry.purged',
      'kv.namespace.deleted',
    ];
    await expectEventually(() => expect(consumer.of(ns)).toHaveLength(expected.length), 20000);
    const events = consumer.of(ns);
    expect(events.map((e) => e.routingKey).sort()).toEqual([...expected].sort());
    for (const event of events) {
      expect(event.body.type).toBe(event.routingKey);
      expect(event.messageId).toBe(event.body.eventId);
      expect(event.persistent).toBe(true);
      expect(event.contentType).toBe('application/json');
      expect(event.raw).not.toContain(marker);
      expect(event.body).not.toHaveProperty('value');
      // One format for every event, whichever path wrote it: JavaScript's ISO 8601 in UTC.
      expect(new Date(event.body.occurredAt as string).toISOString()).toBe(event.body.occurredAt);
      expect(event.body).toEqual(
        expect.objectContaining({
          eventId: expect.any(String),
          occurredAt: expect.any(String),
          applicationId: namespace.applicationId,
          namespaceId: ns,
        }),
      );
    }
    const rotated = events.find((e) => e.routingKey === 'kv.entry.rotated')!;
    expect(rotated.body).toEqual({
      eventId: rotated.messageId,
      type: 'kv.entry.rotated',
      occurredAt: expect.any(String),
      applicationId: namespace.applicationId,
      namespaceId: ns,
      entryId: created.id,
      keyPath: 'db/password',
      version: 3,
      actor: 'event-actor',
      revision: 3,
    });
    expect(events.find((e) => e.routingKey === 'kv.entry.expired')!.body).toMatchObject({
      keyPath: 'short',
      actor: 'system:ttl-sweeper',
    });
    const keyOrder = events
      .filter((e) => e.body.keyPath === 'db/password')
      .map((e) => e.body.version);
    // Created, updated, rotated, rolled back, deleted (at 4), restored.
    expect(keyOrder).toEqual([1, 2, 3, 4, 4, 5]);
    // Every change of an entry carries the revision it made; the namespace began at 0.
    expect(events.find((e) => e.routingKey === 'kv.namespace.created')!.body.revision).toBe(0);
    for (const event of events.filter((e) => e.routingKey.startsWith('kv.entry.'))) {
      expect(event.body.revision).toEqual(expect.any(Number));
      expect(event.body.revision).toBeGreaterThan(0);
    }
  });

  it('dates every event in one format, whichever way the change was written', async () => {
    const ns = (await createNamespace(sut.http())).id;
    const entry = `${API}/${ns}/entries/dated`;
    // Batched with other plain writes, then the transaction an If-Match takes, then a bulk set.
    await sut.http().put(entry).send({ value: 'a', valueType: 'STRING' }).expect(201);
    await sut
      .http()
      .put(entry)
      .set('If-Match', '"1"')
      .send({ value: 'b', valueType: 'STRING' })
      .expect(200);
    await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({ entries: [{ key: 'dated', value: 'c', valueType: 'STRING' }] })
      .expect(200);
    await expectEventually(() => expect(consumer.of(ns)).toHaveLength(4));
    for (const { body } of consumer.of(ns)) {
      expect(new Date(body.occurredAt as string).toISOString()).toBe(body.occurredAt);
    }
  });

  it('announces each key of a bulk call', async () => {
    const ns = (await createNamespace(sut.http())).id;
    const entries = Array.from({ length: 20 }, (_, i) => ({
      key: `bulk/${i}`,
      value: i,
      valueType: 'NUMBER',
    }));
    await sut.http().post(`${API}/${ns}/bulk/set`).send({ entries });
    await sut
      .http()
      .post(`${API}/${ns}/bulk/delete`)
      .send({ keys: entries.map((e) => e.key) });
    await expectEventually(() => expect(consumer.of(ns)).toHaveLength(41));
    const byType = (type: string) => consumer.of(ns).filter((e) => e.routingKey === type).length;
    expect([byType('kv.entry.created'), byType('kv.entry.deleted')]).toEqual([20, 20]);
    const dataSource = sut.app!.get(DataSource);
    await expectEventually(async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS pending FROM event_outbox WHERE sent_at IS NULL AND payload LIKE '%' || $1 || '%'`,
        [ns],
      );
      expect(row.pending).toBe(0);
    });
  });

  it('reports the broker in readiness and the outbox in metrics', async () => {
    const ready = await sut.http().get('/health/ready');
    expect(ready.body.details.broker).toEqual({ status: 'up' });
    const metrics = (await sut.http().get('/metrics')).text;
    expect(metrics).toMatch(/kv_outbox_pending_events \d+/);
    expect(metrics).toMatch(/kv_outbox_oldest_pending_age_seconds [\d.e+-]+/);
  });
});

function rabbitmqctl(command: 'stop_app' | 'start_app' | 'await_startup'): void {
  execFileSync('rabbitmqctl', [command], { stdio: 'ignore', timeout: 120000 });
}

/** Reconnects until the broker accepts the consumer again. */
async function reconnect(consumer: EventConsumer): Promise<void> {
  await expectEventually(() => consumer.connect(), 60000, 500);
}

describe('events through broker failures', () => {
  let sut: TestApp;
  let consumer: EventConsumer;

  beforeEach(async () => {
    consumer = new EventConsumer(`kv.events.test-${randomUUID()}`);
    await consumer.connect();
    sut = await createTestApp({
      ownDatabase: true,
      env: { RABBITMQ_URL: TEST_RABBITMQ_URL, KV_EVENTS_EXCHANGE: consumer.exchange },
    });
  });

  afterEach(async () => {
    rabbitmqctl('start_app');
    await sut.close();
    await consumer.close();
  });

  it('delivers the event of every committed change when the broker stops during a burst of writes', async () => {
    const ns = (await createNamespace(sut.http())).id;
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 40; i += 1) {
      if (i === 10) {
        rabbitmqctl('stop_app');
      }
      if (i === 30) {
        // Still down: these commit to the outbox only.
        expect((await sut.http().get('/health/ready')).body.details.broker.status).toBe('down');
      }
      writes.push(
        sut
          .http()
          .put(`${API}/${ns}/entries/burst/${i}`)
          .send({ value: i, valueType: 'NUMBER' })
          .then((r) => r.status),
      );
      await writes[i];
    }
    expect(await Promise.all(writes)).toEqual(Array(40).fill(201));
    const pending = await sut
      .app!.get(DataSource)
      .query('SELECT count(*)::int AS n FROM event_outbox WHERE sent_at IS NULL');
    expect(pending[0].n).toBeGreaterThan(0);
    rabbitmqctl('start_app');
    rabbitmqctl('await_startup');
    await reconnect(consumer);
    await expectEventually(
      () => {
        const keys = new Set(consumer.of(ns).map((e) => e.body.keyPath));
        expect(keys.size).toBe(41);
      },
      90000,
      500,
    );
    const [left] = await sut
      .app!.get(DataSource)
      .query('SELECT count(*)::int AS n FROM event_outbox WHERE sent_at IS NULL');
    expect(left.n).toBe(0);
  });

  it('publishes again, with the same eventId, when marking a published row sent fails', async () => {
    const dataSource = sut.app!.get(DataSource);
    // The relay "dies" once between the broker's confirm and the commit of sent_at.
    await dataSource.query(`CREATE SEQUENCE relay_crash_once`);
    await dataSource.query(`
      CREATE FUNCTION relay_crash_once() RETURNS trigger AS $$
      BEGIN
        IF nextval('relay_crash_once') = 1 THEN RAISE EXCEPTION 'relay crashed before marking sent'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await dataSource.query(
      `CREATE TRIGGER relay_crash_once BEFORE UPDATE OF sent_at ON event_outbox FOR EACH ROW EXECUTE FUNCTION relay_crash_once()`,
    );
    const ns = (await createNamespace(sut.http())).id;
    await expectEventually(() => expect(consumer.of(ns).length).toBeGreaterThanOrEqual(2), 30000);
    const ids = consumer.of(ns).map((e) => e.messageId);
    expect(new Set(ids).size).toBe(1);
    const [row] = await dataSource.query(
      'SELECT count(*)::int AS n FROM event_outbox WHERE sent_at IS NULL',
    );
    expect(row.n).toBe(0);
  });
});

describe('events without a reachable broker', () => {
  it('boots, serves and keeps events in the outbox while RabbitMQ cannot be reached', async () => {
    const sut = await createTestApp({
      ownDatabase: true,
      env: { RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1' },
    });
    try {
      expect((await sut.http().post(`${API}/namespaces`).send(namespaceBody())).status).toBe(201);
      const ready = await sut.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.broker).toEqual({ status: 'down' });
      const [row] = await sut
        .app!.get(DataSource)
        .query('SELECT count(*)::int AS n FROM event_outbox WHERE sent_at IS NULL');
      expect(row.n).toBe(1);
    } finally {
      await sut.close();
    }
  });
});
