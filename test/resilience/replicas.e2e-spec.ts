import { randomUUID } from 'node:crypto';
import { EventConsumer, ReceivedEvent, TEST_RABBITMQ_URL } from '../utils/event-consumer';
import { expectEventually } from '../utils/expect-eventually';
import { Entry, Reply, ServiceClient } from '../utils/service-client';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';
const CONTENDERS = 8;
/** How long the other replica may serve a value after its change committed (see README). */
const REPLICA_BOUND_MS = 1000;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Message ids delivered more than once, with their counts. */
function duplicates(events: ReceivedEvent[]): [string | undefined, number][] {
  const counts = new Map<string | undefined, number>();
  events.forEach((e) => counts.set(e.messageId, (counts.get(e.messageId) ?? 0) + 1));
  return [...counts].filter(([, count]) => count > 1);
}

describe('two replicas on one database and broker', () => {
  const db = new TestDatabase('replicas');
  const consumer = new EventConsumer(`kv.events.test-${randomUUID()}`);
  let replicas: ServiceProcess[] = [];
  let clients: ServiceClient[];

  beforeAll(async () => {
    await db.create();
    await consumer.connect();
    const env = {
      ...serviceEnv(db.url),
      RABBITMQ_URL: TEST_RABBITMQ_URL,
      KV_EVENTS_EXCHANGE: consumer.exchange,
      KV_TTL_SWEEP_INTERVAL_MS: '200',
    };
    // Started together on an empty database: they take turns at the migrations.
    const started = await Promise.allSettled([startService(env), startService(env)]);
    replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    const token = await new Tokens(env.AUTH_JWT_SECRET).mint();
    clients = replicas.map((replica) => new ServiceClient(replica.url, token));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await consumer.close();
    await db.drop();
  });

  /** Events of the namespace, once every outbox row of it has been confirmed by the broker. */
  async function settledEvents(namespaceId: string, count: number) {
    await expectEventually(async () => {
      const [{ pending }] = await db.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM event_outbox
         WHERE sent_at IS NULL AND payload::jsonb->>'namespaceId' = $1`,
        [namespaceId],
      );
      expect(pending).toBe(0);
      expect(new Set(consumer.of(namespaceId).map((e) => e.messageId)).size).toBe(count);
    }, 30000);
    return consumer.of(namespaceId);
  }

  it.each([false, true])(
    'lets exactly one of concurrent conditional writes win each version (secret: %s)',
    async (isSecretNamespace) => {
      const ns = await clients[0].namespace({ isSecretNamespace });
      const path = `${API}/${ns}/entries/contended`;
      const race = (body: (i: number) => object, headers: (i: number) => object = () => ({})) =>
        Promise.all(
          range(CONTENDERS).map((i) =>
            clients[i % 2].send<Entry>(
              'PUT',
              path,
              { valueType: 'STRING', ...body(i) },
              { ...headers(i) },
            ),
          ),
        );
      let writer: ServiceClient = clients[0];
      const winnerOf = (replies: Reply<Entry>[], ok: number, loser: number) => {
        expect(replies.map((r) => r.status).sort()).toEqual(
          [ok, ...Array<number>(CONTENDERS - 1).fill(loser)].sort(),
        );
        const winner = replies.findIndex((r) => r.status === ok);
        writer = clients[winner % 2];
        return replies[winner].body;
      };

      let current = winnerOf(
        await race((i) => ({ value: `create-${i}`, expectedVersion: 0 })),
        201,
        409,
      );
      for (let version = 1; version <= 4; version += 1) {
        current =
          version % 2 === 1
            ? winnerOf(
                await race((i) => ({ value: `v${version}-${i}`, expectedVersion: version })),
                200,
                409,
              )
            : winnerOf(
                await race(
                  (i) => ({ value: `v${version}-${i}` }),
                  () => ({ 'if-match': `"${version}"` }),
                ),
                200,
                412,
              );
        expect(current.version).toBe(version + 1);
        const expected = { version: version + 1, value: current.value };
        // The replica that wrote reads its write at once; the other within the bound.
        expect((await writer.send<Entry>('GET', path)).body).toMatchObject(expected);
        const other = clients.find((client) => client !== writer)!;
        await expectEventually(async () => {
          expect((await other.send<Entry>('GET', path)).body).toMatchObject(expected);
        }, REPLICA_BOUND_MS);
      }
    },
  );

  it('shows a write through one replica at once through it, and within the bound through the other', async () => {
    for (const isSecretNamespace of [false, true]) {
      const ns = await clients[0].namespace({ isSecretNamespace });
      expect((await clients[1].send('GET', `${API}/namespaces/${ns}`)).status).toBe(200);
      for (const i of range(12)) {
        const [writer, reader] = i % 2 === 0 ? clients : [...clients].reverse();
        const path = `${API}/${ns}/entries/ryw/${i % 3}`;
        // Both replicas hold the entry as it was, when there is one.
        await Promise.all(clients.map((client) => client.send('GET', path)));
        const written = await writer.send<Entry>('PUT', path, { value: i, valueType: 'NUMBER' });
        expect([200, 201]).toContain(written.status);
        const expected = { value: i, version: written.body.version };
        expect((await writer.send<Entry>('GET', path)).body).toMatchObject(expected);
        await expectEventually(async () => {
          const read = await reader.send<Entry>('GET', path);
          expect(read.status).toBe(200);
          expect(read.body).toMatchObject(expected);
        }, REPLICA_BOUND_MS);
      }
      const gone = `${API}/${ns}/entries/ryw/0`;
      expect((await clients[1].send('DELETE', gone)).status).toBe(204);
      expect((await clients[1].send('GET', gone)).status).toBe(404);
      await expectEventually(async () => {
        expect((await clients[0].send('GET', gone)).status).toBe(404);
      }, REPLICA_BOUND_MS);
    }
  });

  it('publishes each outbox event once', async () => {
    const ns = await clients[0].namespace();
    const replies = await Promise.all(
      range(60).map((i) =>
        clients[i % 2].send('PUT', `${API}/${ns}/entries/once/${i}`, {
          value: i,
          valueType: 'NUMBER',
        }),
      ),
    );
    expect(replies.filter((r) => r.status !== 201)).toEqual([]);
    expect(duplicates(await settledEvents(ns, 61))).toEqual([]);
  });

  it('sweeps each expired entry once', async () => {
    const ns = await clients[0].namespace();
    const entries = range(40).map((i) => ({
      key: `ttl/${i}`,
      value: i,
      valueType: 'NUMBER',
      ttlSeconds: 1,
    }));
    const replies = await Promise.all([
      clients[0].send('POST', `${API}/${ns}/bulk/set`, { entries: entries.slice(0, 20) }),
      clients[1].send('POST', `${API}/${ns}/bulk/set`, { entries: entries.slice(20) }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    await expectEventually(async () => {
      // Swept entries stay as tombstones (deleted_at set), so their versions never repeat.
      const left = await db.query(
        'SELECT 1 FROM entries WHERE namespace_id = $1 AND deleted_at IS NULL',
        [ns],
      );
      expect(left).toHaveLength(0);
    }, 30000);
    const events = await settledEvents(ns, 81);
    expect(duplicates(events)).toEqual([]);
    const expired = events.filter((e) => e.routingKey === 'kv.entry.expired');
    expect(new Set(expired.map((e) => e.body.keyPath)).size).toBe(40);
    const [{ rows }] = await db.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM event_outbox
       WHERE routing_key = 'kv.entry.expired' AND payload::jsonb->>'namespaceId' = $1`,
      [ns],
    );
    expect(rows).toBe(40);
  });
});
