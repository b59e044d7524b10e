import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { EntryPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { SseClient } from '../utils/sse-client';

/**
 * The randomized test, scaled to the e2e suite's time: two service instances on one
 * database (each its own pool, cache and change feed), OPERATIONS random writes per namespace
 * through both, and watchers (long-poll and SSE) stopped and resumed at random points. Each
 * must see every revision exactly once, in order, without a gap, and replaying what it saw
 * must rebuild the namespace's final keys and versions, as reads as of AS_OF_READS random
 * revisions must rebuild each.
 */
const OPERATIONS = Number(process.env.WATCH_REPLAY_OPERATIONS ?? 400);
const WRITERS = 8;
const KEYS = 40;
const AS_OF_READS = 50;

interface Change {
  revision: number;
  type: string;
  keyPath: string;
  version: number;
}

/** A seeded generator, so a failure can be replayed (the seed is in the test's name). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SEED = Number(process.env.WATCH_REPLAY_SEED ?? Date.now() % 100000);

describe(`watchers resumed at random see every revision once (seed ${SEED})`, () => {
  let one: TestApp;
  let two: TestApp;
  const rand = random(SEED);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];

  beforeAll(async () => {
    one = await createTestApp({ ownDatabase: true });
    const { url } = one.app!.get(DataSource).options as { url: string };
    two = await createTestApp({ env: { DATABASE_URL: url, AUTH_JWT_SECRET: one.tokens.secret } });
    // Listening starts on the first call: once, before watchers ask at once.
    await one.url();
    await two.url();
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /** A long-poll watcher that starts over from its last position at random. */
  function longPoll(app: () => TestApp, ns: string, until: () => number | undefined) {
    const seen: Change[] = [];
    let position = 0;
    const done = (async () => {
      for (;;) {
        const target = until();
        if (target !== undefined && position >= target) {
          return;
        }
        const res = await app()
          .http()
          .get(`${API}/${ns}/changes`)
          .query({ sinceRevision: position, waitSeconds: 1, limit: 1 + Math.floor(rand() * 50) });
        expect(res.status).toBe(200);
        const page = res.body as { items: Change[]; revision: number };
        seen.push(...page.items);
        position = page.revision;
      }
    })();
    return { seen, done };
  }

  /** An SSE watcher that drops its connection at random and resumes with Last-Event-ID. */
  function stream(app: () => TestApp, ns: string, until: () => number | undefined) {
    const seen: Change[] = [];
    let lastId = '0';
    const done = (async () => {
      for (;;) {
        const client = await SseClient.open(`${await app().url()}${API}/${ns}/changes`, {
          authorization: `Bearer ${app().adminToken}`,
          'last-event-id': lastId,
        });
        expect(client.status).toBe(200);
        const lifetime = Date.now() + 50 + rand() * 400;
        let taken = 0;
        for (;;) {
          for (; taken < client.events.length; taken += 1) {
            const event = client.events[taken];
            if (event.event === 'change') {
              seen.push(...(event.data as { items: Change[] }).items);
            }
            lastId = event.id ?? lastId;
          }
          const target = until();
          if (target !== undefined && Number(lastId) >= target) {
            client.close();
            return;
          }
          if (Date.now() > lifetime || client.closed) {
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        client.close();
      }
    })();
    return { seen, done };
  }

  it.each([
    ['plain', false],
    ['secret', true],
  ])('in a %s namespace', async (_kind, isSecret) => {
    const ns = (await createNamespace(one.http(), { isSecretNamespace: isSecret })).id;
    const apps = [() => one, () => two];
    const final: { revision?: number } = {};
    const until = () => final.revision;
    const watchers = [
      longPoll(apps[0], ns, until),
      longPoll(apps[1], ns, until),
      stream(apps[0], ns, until),
      stream(apps[1], ns, until),
    ];
    const keys = Array.from({ length: KEYS }, (_, i) => `k/${i % 7}/${i}`);
    let left = OPERATIONS;
    const operation = async () => {
      const app = pick(apps)();
      const http = app.http();
      const key = pick(keys);
      const entry = `${API}/${ns}/entries/${encodeURIComponent(key)}`;
      const roll = rand();
      if (roll < 0.4) {
        await http.put(entry).send({ value: rand(), valueType: 'NUMBER' });
      } else if (roll < 0.55) {
        const chosen = [
          ...new Set(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(keys))),
        ];
        await http
          .post(`${API}/${ns}/bulk/set`)
          .send({ entries: chosen.map((k) => ({ key: k, value: rand(), valueType: 'NUMBER' })) });
      } else if (roll < 0.7) {
        await http.delete(entry);
      } else if (roll < 0.78) {
        const chosen = [
          ...new Set(Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(keys))),
        ];
        await http.post(`${API}/${ns}/bulk/delete`).send({ keys: chosen });
      } else if (roll < 0.88 && isSecret) {
        await http.post(`${entry}/rollback`).send({ version: 1 + Math.floor(rand() * 3) });
      } else if (roll < 0.95) {
        await http.put(entry).send({ value: 'short', valueType: 'STRING', ttlSeconds: 3600 });
      } else {
        // Entries with an expiry lapse now, and one replica's sweeper buries them in a batch.
        await app
          .app!.get(DataSource)
          .query(
            `UPDATE entries SET expires_at = now() WHERE namespace_id = $1 AND expires_at IS NOT NULL AND deleted_at IS NULL`,
            [ns],
          );
        await app.app!.get(TtlSweeper).sweep();
      }
    };
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (left > 0) {
          left -= 1;
          await operation();
        }
      }),
    );
    // An entry that lapsed while a writer held its row was skipped by that sweep: it is gone
    // for reads already, and a last sweep of each replica announces it.
    await one.app!.get(TtlSweeper).sweep();
    await two.app!.get(TtlSweeper).sweep();
    const listed = await one.http().get(`${API}/${ns}/entries`).query({ limit: 1000 });
    const finalRevision = Number(listed.headers['x-kv-revision']);
    final.revision = finalRevision;
    await Promise.all(watchers.map((w) => w.done));

    const expected = Array.from({ length: finalRevision }, (_, i) => i + 1);
    const reference = watchers[0].seen;
    for (const watcher of watchers) {
      // Each revision once, in order, none missing: the revisions of its changes, grouped.
      const revisions = watcher.seen.map((c) => c.revision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      expect([...new Set(revisions)]).toEqual(expected);
      expect(watcher.seen).toEqual(reference);
    }
    // Replaying the changes rebuilds the namespace: its live keys at their versions.
    const replay = (upTo: number) => {
      const state = new Map<string, number>();
      for (const change of reference.filter((c) => c.revision <= upTo)) {
        if (change.type === 'kv.entry.deleted' || change.type === 'kv.entry.expired') {
          state.delete(change.keyPath);
        } else {
          state.set(change.keyPath, change.version);
        }
      }
      return new Map([...state].sort());
    };
    const replayed = replay(finalRevision);
    // So does a read as of any revision.
    for (let i = 0; i < AS_OF_READS; i += 1) {
      const at = Math.floor(rand() * (finalRevision + 1));
      const past = await pick(apps)()
        .http()
        .get(`${API}/${ns}/entries`)
        .query({ limit: 1000, asOfRevision: at });
      expect(past.status).toBe(200);
      expect(
        new Map(bodyOf<EntryPageDto>(past).items.map((e) => [e.keyPath, e.version] as const)),
      ).toEqual(replay(at));
    }
    const live = new Map(
      bodyOf<EntryPageDto>(listed).items.map((e) => [e.keyPath, e.version] as const),
    );
    expect(replayed).toEqual(new Map([...live].sort()));
    expect(finalRevision).toBeGreaterThan(OPERATIONS / 4);
  });
});
