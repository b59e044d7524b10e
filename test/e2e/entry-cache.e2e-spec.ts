import { DataSource } from 'typeorm';
import { ChangeFeed, FEED_APPLICATION_NAME } from '../../src/events/change-feed.service';
import { EntryDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, putEntry } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace } from '../utils/factories';

/** How long another replica may serve a value after its change committed (see README). */
const REPLICA_BOUND_MS = 1000;

describe('entry read cache across replicas', () => {
  let one: TestApp;
  let two: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    // A database of its own: the test counts and cuts the change feeds' connections on it.
    one = await createTestApp({ ownDatabase: true });
    dataSource = one.app!.get(DataSource);
    const { url } = dataSource.options as { url: string };
    // A second replica: same database, same signing secret, its own cache and change feed.
    two = await createTestApp({ env: { DATABASE_URL: url, AUTH_JWT_SECRET: one.tokens.secret } });
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /**
   * Reads through a replica until its cache holds the result (the first read fills it),
   * once its feed has heard of every change made so far: a change heard after the fill
   * would drop it again.
   */
  async function warm(app: TestApp, path: string): Promise<void> {
    await app.app!.get(ChangeFeed).caughtUp();
    await app.http().get(path).expect(200);
    await app.http().get(path).expect(200);
  }

  /** Changes a value behind the service's back: no event in the outbox. */
  async function sneak(namespaceId: string, key: string, value: string): Promise<void> {
    await dataSource.query(
      `UPDATE entries SET value = $3 WHERE namespace_id = $1 AND key_path = $2`,
      [namespaceId, key, JSON.stringify(value)],
    );
  }

  it.each([false, true])(
    'shows a write through one replica on the other within the bound (secret: %s)',
    async (isSecret) => {
      const ns = (await createNamespace(one.http(), { isSecretNamespace: isSecret })).id;
      const path = `${API}/${ns}/entries/app/color`;
      await one.http().put(path).send({ value: 'red', valueType: 'STRING' }).expect(201);
      await warm(two, path);
      await one.http().put(path).send({ value: 'blue', valueType: 'STRING' }).expect(200);
      await expectEventually(async () => {
        const res = await two.http().get(path);
        expect(res.body).toMatchObject({ value: 'blue', version: 2 });
      }, REPLICA_BOUND_MS);
      await one.http().delete(path).expect(204);
      await expectEventually(async () => {
        expect((await two.http().get(path)).status).toBe(404);
      }, REPLICA_BOUND_MS);
    },
  );

  it('reads its own writes at once on the replica that wrote', async () => {
    const ns = (await createNamespace(one.http())).id;
    const path = `${API}/${ns}/entries/counter`;
    await one.http().put(path).send({ value: 0, valueType: 'NUMBER' }).expect(201);
    for (let n = 1; n <= 20; n += 1) {
      await one.http().get(path).expect(200);
      await one.http().put(path).send({ value: n, valueType: 'NUMBER' }).expect(200);
      expect((await one.http().get(path)).body).toMatchObject({ value: n, version: n + 1 });
    }
  });

  it('drops a namespace and its entries everywhere when the namespace is deleted', async () => {
    const ns = (await createNamespace(one.http())).id;
    const path = `${API}/${ns}/entries/k`;
    await one.http().put(path).send({ value: 1, valueType: 'NUMBER' }).expect(201);
    await warm(one, path);
    await warm(two, path);
    await one.http().delete(`${API}/namespaces/${ns}`).expect(204);
    expect(bodyOf<ProblemDto>(await one.http().get(path)).code).toBe('NAMESPACE_NOT_FOUND');
    await expectEventually(async () => {
      expect(bodyOf<ProblemDto>(await two.http().get(path)).code).toBe('NAMESPACE_NOT_FOUND');
    }, REPLICA_BOUND_MS);
  });

  it("writes with the namespace's settings as changed on any replica", async () => {
    const ns = (await createNamespace(one.http())).id;
    const numberOne = { value: 1, valueType: 'NUMBER' };
    await putEntry(one.http(), ns, 'before-1', numberOne).expect(201);
    await putEntry(two.http(), ns, 'before-2', numberOne).expect(201);
    await one.http().put(`${API}/namespaces/${ns}`).send({ defaultTtlSeconds: 3600 }).expect(200);
    const after = await putEntry(one.http(), ns, 'after-1', numberOne).expect(201);
    expect(bodyOf<EntryDto>(after).expiresAt).not.toBeNull();
    await expectEventually(async () => {
      const res = await putEntry(two.http(), ns, `after-2-${Date.now()}`, numberOne);
      expect(bodyOf<EntryDto>(res).expiresAt).not.toBeNull();
    }, REPLICA_BOUND_MS);
    await one.http().delete(`${API}/namespaces/${ns}`).expect(204);
    for (const app of [one, two]) {
      expect(bodyOf<ProblemDto>(await putEntry(app.http(), ns, 'gone', numberOne)).code).toBe(
        'NAMESPACE_NOT_FOUND',
      );
    }
  });

  it('serves lists and bulk reads from the cache too; a write drops the pages it falls in and its own key, no other', async () => {
    const ns = (await createNamespace(one.http())).id;
    const base = `${API}/${ns}/entries`;
    await one.http().put(`${base}/list/a`).send({ value: 'a1', valueType: 'STRING' }).expect(201);
    const list = `${base}?prefix=list%2F&includeValues=true`;
    const bulkGet = () =>
      two
        .http()
        .post(`${API}/${ns}/bulk/get`)
        .send({ keys: ['list/a'] });
    const values = (res: { body: { items: { value: unknown }[] } }) =>
      res.body.items.map((item) => item.value);
    await warm(two, list);
    await warm(two, `${base}/list/a`);
    await sneak(ns, 'list/a', 'sneaked');
    expect(values(await two.http().get(list))).toEqual(['a1']);
    expect(values(await bulkGet())).toEqual(['a1']);
    await one.http().put(`${base}/list/b`).send({ value: 'b1', valueType: 'STRING' }).expect(201);
    await expectEventually(async () => {
      expect(values(await two.http().get(list))).toEqual(['sneaked', 'b1']);
    }, REPLICA_BOUND_MS);
    // list/b's write left list/a's cached entry alone: the sneaked change is still unseen.
    expect(values(await bulkGet())).toEqual(['a1']);
    expect(bodyOf<EntryDto>(await two.http().get(`${base}/list/a`)).value).toBe('a1');
    await one.http().put(`${base}/list/a`).send({ value: 'a2', valueType: 'STRING' }).expect(200);
    await expectEventually(async () => {
      expect(values(await bulkGet())).toEqual(['a2']);
    }, REPLICA_BOUND_MS);
  });

  it('never caches an entry that expires', async () => {
    const ns = (await createNamespace(one.http())).id;
    const path = `${API}/${ns}/entries/short`;
    await one
      .http()
      .put(path)
      .send({ value: 'soon gone', valueType: 'STRING', ttlSeconds: 1 })
      .expect(201);
    await warm(two, path);
    await sneak(ns, 'short', 'changed in the database');
    expect(bodyOf<EntryDto>(await two.http().get(path)).value).toBe('changed in the database');
  });

  it('serves from the cache, and stops the moment its change feed is lost', async () => {
    const ns = (await createNamespace(one.http())).id;
    const path = `${API}/${ns}/entries/cached`;
    await one.http().put(path).send({ value: 'original', valueType: 'STRING' }).expect(201);
    await warm(two, path);
    await sneak(ns, 'cached', 'sneaked');
    // Proof that reads come from the cache: the sneaked change (no event) is not seen.
    expect(bodyOf<EntryDto>(await two.http().get(path)).value).toBe('original');

    const feeds = async () =>
      (
        await dataSource.query<{ feeds: number }[]>(
          `SELECT count(*)::int AS feeds FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = $1`,
          [FEED_APPLICATION_NAME],
        )
      )[0].feeds;
    await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1`,
      [FEED_APPLICATION_NAME],
    );
    // Without its feed a replica cannot hear changes, so it reads the database.
    await expectEventually(async () => {
      expect(bodyOf<EntryDto>(await two.http().get(path)).value).toBe('sneaked');
    }, REPLICA_BOUND_MS);
    // It follows again by itself; a write is then heard as before.
    await expectEventually(async () => expect(await feeds()).toBe(2), 5000);
    await warm(two, path);
    await one.http().put(path).send({ value: 'after', valueType: 'STRING' }).expect(200);
    await expectEventually(async () => {
      expect(bodyOf<EntryDto>(await two.http().get(path)).value).toBe('after');
    }, REPLICA_BOUND_MS);
  });

  it('hears a change whose transaction began before the feed looked and committed after', async () => {
    const ns = (await createNamespace(one.http())).id;
    const elsewhere = (await createNamespace(one.http())).id;
    const path = `${API}/${ns}/entries/slow`;
    await one.http().put(path).send({ value: 'before', valueType: 'STRING' }).expect(201);
    await warm(two, path);
    // Another replica's long transaction: it writes, the feeds look several times, then it
    // commits, its outbox row with a transaction id below what the feeds have seen since.
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(
        `INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
         SELECT gen_random_uuid(), 'kv.entry.updated', $1, json_build_object('entryId', e.id,
           'keyPath', e.key_path, 'version', e.version + 1, 'actor', 'replica', 'occurredAt', now())::text,
           $2, pg_current_xact_id()::text::bigint
         FROM entries e WHERE e.namespace_id = $2 AND e.key_path = 'slow'`,
        [`${ns}/slow`, ns],
      );
      await runner.query(
        `UPDATE entries SET value = '"after"', version = version + 1
         WHERE namespace_id = $1 AND key_path = 'slow'`,
        [ns],
      );
      // A look of two's feed that began after this transaction took its id: the id is in
      // progress in that look's snapshot.
      await two.app!.get(ChangeFeed).caughtUp();
      // The later commit is in another namespace: one namespace's changes commit in the order
      // of its revisions, whose counter the open transaction holds.
      await one
        .http()
        .put(`${API}/${elsewhere}/entries/other`)
        .send({ value: 1, valueType: 'NUMBER' })
        .expect(201);
      // Two has heard of that later commit, so its cursor has moved past this transaction,
      // and the read below fills the cache with no notice still to come that would drop it.
      await two.app!.get(ChangeFeed).caughtUp();
      expect(bodyOf<EntryDto>(await two.http().get(path)).value).toBe('before');
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    await warm(two, path);
    await expectEventually(async () => {
      expect((await two.http().get(path)).body).toMatchObject({ value: 'after', version: 2 });
    }, REPLICA_BOUND_MS);
  });
});
