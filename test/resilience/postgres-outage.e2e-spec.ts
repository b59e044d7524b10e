import { randomUUID } from 'node:crypto';
import { FEED_APPLICATION_NAME } from '../../src/events/change-feed.service';
import { EventConsumer, TEST_RABBITMQ_URL } from '../utils/event-consumer';
import { expectEventually } from '../utils/expect-eventually';
import { HttpTraffic, Outcome } from '../utils/http-traffic';
import { startPostgres, stopPostgres } from '../utils/postgres-server';
import { ServiceClient } from '../utils/service-client';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const WORKERS = 6;
// Not a performance target: every wait on the database is bounded (5 s to connect, 15 s per
// query), so a request still unanswered after this has hung; it is aborted and fails the test.
const ANSWER_WITHIN_MS = 30000;

interface Readiness {
  status: string;
  details: { database: { status: string } };
}

describe('a PostgreSQL outage under traffic', () => {
  const db = new TestDatabase('outage');
  const consumer = new EventConsumer(`kv.events.test-${randomUUID()}`);
  let service: ServiceProcess | undefined;
  let client: ServiceClient;

  beforeAll(async () => {
    await db.create();
    await consumer.connect();
    const env = {
      ...serviceEnv(db.url),
      RABBITMQ_URL: TEST_RABBITMQ_URL,
      KV_EVENTS_EXCHANGE: consumer.exchange,
      // The sweeper's loop meets the outage too.
      KV_TTL_SWEEP_INTERVAL_MS: '500',
    };
    service = await startService(env);
    const token = await new Tokens(env.AUTH_JWT_SECRET).mint();
    client = new ServiceClient(service.url, token, ANSWER_WITHIN_MS);
  });

  afterAll(async () => {
    try {
      await startPostgres();
    } finally {
      await service?.stop();
      await consumer.close();
      await db.drop();
    }
  });

  it('answers 503 with Retry-After while it lasts, then recovers by itself with no acknowledged write lost', async () => {
    const traffic = new HttpTraffic(client, [
      await client.namespace(),
      await client.namespace({ isSecretNamespace: true }),
    ]);
    traffic.start(WORKERS);
    try {
      await expectEventually(() => expect(traffic.acknowledged('up')).toBeGreaterThan(20));

      traffic.phase = 'stopping';
      await stopPostgres();
      traffic.phase = 'down';
      await expectEventually(() => {
        expect(traffic.outcomes.filter((o) => o.phase === 'down').length).toBeGreaterThan(30);
        // The background loops met the outage, and the process outlived it.
        expect(service!.output()).toContain('Outbox relay pass failed');
        expect(service!.output()).toContain('TTL sweep failed');
      }, 30000);
      const ready = await client.send<Readiness>('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.details.database.status).toBe('down');
      expect((await client.send('GET', '/health/live')).status).toBe(200);

      traffic.phase = 'starting';
      await startPostgres();
      traffic.phase = 'restarted';
      await expectEventually(
        async () => expect((await client.send('GET', '/health/ready')).status).toBe(200),
        30000,
      );
      await expectEventually(
        () => expect(traffic.acknowledged('restarted')).toBeGreaterThan(20),
        30000,
      );
    } finally {
      await traffic.stop();
    }

    const { outcomes } = traffic;
    const ok = (o: Outcome) => o.status === 200 || o.status === 201;
    // Every request got an answer in time (a hung one was aborted, and has a string status).
    expect(outcomes.filter((o) => typeof o.status === 'string')).toEqual([]);
    expect(outcomes.filter((o) => !ok(o) && o.status !== 503)).toEqual([]);
    expect(outcomes.filter((o) => o.phase === 'up' && !ok(o))).toEqual([]);
    expect(outcomes.filter((o) => o.phase === 'down' && o.status !== 503)).toEqual([]);
    expect(outcomes.filter((o) => o.phase === 'restarted' && !ok(o))).toEqual([]);
    expect(
      outcomes.filter(
        (o) =>
          o.status === 503 &&
          !(
            o.contentType?.startsWith('application/problem+json') &&
            o.code === 'SERVICE_UNAVAILABLE' &&
            /^[1-9]\d*$/.test(o.retryAfter ?? '')
          ),
      ),
    ).toEqual([]);
    expect(service!.child.exitCode).toBeNull();

    expect(await traffic.broken(client)).toEqual([]);
    const acknowledged = traffic.keys.flatMap(({ namespaceId, key, acked }) =>
      Array.from({ length: acked?.version ?? 0 }, (_, i) => [namespaceId, key, i + 1].join(' ')),
    );
    await expectEventually(() => {
      const announced = new Set(
        consumer.received.map((e) =>
          [e.body.namespaceId, e.body.keyPath, e.body.version].join(' '),
        ),
      );
      expect(acknowledged.filter((write) => !announced.has(write))).toEqual([]);
    }, 30000);
    // The change feed's connection is back, once: a lost look reconnects after a pause, so
    // once it has settled for a second, a duplicate would be there too.
    const feeds = () =>
      db.query<{ age: number }>(
        `SELECT extract(epoch FROM now() - backend_start)::float AS age
         FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [db.name, FEED_APPLICATION_NAME],
      );
    await expectEventually(async () => {
      const settled = await feeds();
      expect(settled.length).toBeGreaterThan(0);
      expect(settled.filter(({ age }) => age < 1)).toEqual([]);
    }, 20000);
    expect(await feeds()).toHaveLength(1);
  });
});
