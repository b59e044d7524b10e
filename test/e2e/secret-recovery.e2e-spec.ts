import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { expectEventually } from '../utils/expect-eventually';
import { namespaceBody, uniqueApplicationId } from '../utils/factories';

const API = '/api/v1/kv';
const DAY_MS = 24 * 3600 * 1000;

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body.code).toBe(code);
}

describe('the recovery window of secret namespaces', () => {
  let sut: TestApp;
  let dataSource: DataSource;
  let app: string;
  let ns: string;

  beforeAll(async () => {
    // A quick sweeper, so the test waits for the real one.
    sut = await createTestApp({ env: { KV_TTL_SWEEP_INTERVAL_MS: '200' } });
    dataSource = sut.app!.get(DataSource);
  });

  beforeEach(async () => {
    app = uniqueApplicationId();
    ns = (
      await sut
        .http()
        .post(`${API}/namespaces`)
        .send(namespaceBody({ applicationId: app, isSecretNamespace: true }))
    ).body.id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const url = (key: string, namespace = ns) => `${API}/${namespace}/entries/${key}`;
  const put = (key: string, body: Record<string, unknown>) => sut.http().put(url(key)).send(body);
  const restore = (key: string, http = sut.http(), namespace = ns) =>
    http.post(`${url(encodeURIComponent(key), namespace)}/restore`);
  const deleted = (http = sut.http(), namespace = ns) => http.get(`${API}/${namespace}/deleted`);
  const eventsOf = async (key: string): Promise<string[]> =>
    (
      await dataSource.query<{ routing_key: string }[]>(
        'SELECT routing_key FROM event_outbox WHERE ordering_key = $1 ORDER BY id',
        [`${ns}/${key}`],
      )
    ).map((row) => row.routing_key);

  it('keeps a secret expired by ttlSeconds: 1 out of reads, lists it under /deleted, and restores it with its history', async () => {
    await put('db/password', { value: 'first', valueType: 'STRING' });
    await sut
      .http()
      .post(`${url('db/password')}/rotate`)
      .send({ value: 'second' });
    const expiring = await put('db/password', {
      value: 'third',
      valueType: 'STRING',
      ttlSeconds: 1,
      metadata: { owner: 'team-a' },
    });
    expect(expiring.body.version).toBe(3);
    // The sweeper's own timer buries it.
    await expectEventually(async () =>
      expect((await deleted()).body.items.map((i: { keyPath: string }) => i.keyPath)).toEqual([
        'db/password',
      ]),
    );
    expectProblem(await sut.http().get(url('db/password')), 404, 'ENTRY_NOT_FOUND');
    expect((await sut.http().get(`${API}/${ns}/entries`)).body.items).toEqual([]);
    expect((await sut.http().get(`${API}/${ns}/entries?includeValues=true`)).body.items).toEqual(
      [],
    );
    expect(
      (
        await sut
          .http()
          .post(`${API}/${ns}/bulk/get`)
          .send({ keys: ['db/password'] })
      ).body,
    ).toEqual({ items: [], missing: ['db/password'] });
    expectProblem(await sut.http().get(`${url('db/password')}/versions`), 404, 'ENTRY_NOT_FOUND');

    const [item] = (await deleted()).body.items;
    expect(Object.keys(item).sort()).toEqual([
      'deletedAt',
      'keyPath',
      'recoverableUntil',
      'version',
    ]);
    expect(item.version).toBe(3);
    const window = Date.parse(item.recoverableUntil) - Date.parse(item.deletedAt);
    expect(window).toBe(7 * DAY_MS);

    // kv-entry:delete alone restores: the value comes back, but only to a reader.
    const deleter = sut.http(await sut.tokens.only([KvPermission.EntryDelete]));
    const restored = await restore('db/password', deleter);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ keyPath: 'db/password', version: 4, expiresAt: null });
    expect(restored.body.metadata).toEqual({ owner: 'team-a' });
    expect(restored.body).not.toHaveProperty('value');
    expect((await sut.http().get(url('db/password'))).body).toMatchObject({
      value: 'third',
      version: 4,
    });
    const versions = (await sut.http().get(`${url('db/password')}/versions`)).body.items;
    expect(versions.map((v: { changeReason: string }) => v.changeReason)).toEqual([
      'restore',
      'update',
      'rotation',
      'create',
    ]);
    // The old versions are still there to roll back to.
    expect(
      (
        await sut
          .http()
          .post(`${url('db/password')}/rollback`)
          .send({ version: 1 })
      ).body.value,
    ).toBe('first');
    expect((await deleted()).body.items).toEqual([]);
    expect(await eventsOf('db/password')).toEqual(
      expect.arrayContaining(['kv.entry.expired', 'kv.entry.restored']),
    );
    const audit = await sut.http().get(`${API}/audit?namespaceId=${ns}&action=RESTORE`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ keyPath: 'db/password', success: true, statusCode: 200 }),
    ]);
  });

  it('restores a deleted secret once: 409 while it is live, 404 where nothing is recoverable', async () => {
    await put('api/key', { value: 'k1', valueType: 'STRING' });
    expect((await sut.http().delete(url('api/key'))).status).toBe(204);
    expect((await deleted()).body.items).toEqual([
      expect.objectContaining({ keyPath: 'api/key', version: 1 }),
    ]);
    const restored = await restore('api/key');
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ value: 'k1', version: 2 });
    expectProblem(await restore('api/key'), 409, 'VERSION_CONFLICT');
    expectProblem(await restore('never/there'), 404, 'ENTRY_NOT_FOUND');
    // Written again instead of restored: the history continues and nothing is left to restore.
    await sut.http().delete(url('api/key'));
    expect((await put('api/key', { value: 'k2', valueType: 'STRING' })).body.version).toBe(3);
    expectProblem(await restore('api/key'), 409, 'VERSION_CONFLICT');
    expect((await deleted()).body.items).toEqual([]);
    expect(
      (await sut.http().get(`${url('api/key')}/versions`)).body.items.map(
        (v: { version: number }) => v.version,
      ),
    ).toEqual([3, 2, 1]);
  });

  it('restores a key sent with raw slashes, and pages /deleted under a prefix', async () => {
    for (const key of ['a/1', 'a/2', 'a/3', 'b/1']) {
      await put(key, { value: key, valueType: 'STRING' });
    }
    await sut
      .http()
      .post(`${API}/${ns}/bulk/delete`)
      .send({ keys: ['a/1', 'a/2', 'a/3', 'b/1'] });
    const first = await sut.http().get(`${API}/${ns}/deleted?prefix=a/&limit=2`);
    expect(first.body.items.map((i: { keyPath: string }) => i.keyPath)).toEqual(['a/1', 'a/2']);
    const second = await sut
      .http()
      .get(`${API}/${ns}/deleted?prefix=a/&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ keyPath: 'a/3' })],
      nextCursor: null,
    });
    const raw = await sut.http().post(`${url('a/2')}/restore`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ keyPath: 'a/2', value: 'a/2', version: 2 });
  });

  it('purges the versions once the window has passed, and keeps the version count', async () => {
    await put('old/secret', { value: 'v1', valueType: 'STRING' });
    await put('old/secret', { value: 'v2', valueType: 'STRING' });
    const { id } = (await sut.http().get(url('old/secret'))).body;
    await sut.http().delete(url('old/secret'));
    await dataSource.query(
      `UPDATE entries SET deleted_at = deleted_at - interval '8 days',
         recoverable_until = recoverable_until - interval '8 days'
       WHERE id = $1`,
      [id],
    );
    await sut.app!.get(TtlSweeper).sweep();
    expect((await deleted()).body.items).toEqual([]);
    expectProblem(await restore('old/secret'), 404, 'ENTRY_NOT_FOUND');
    expect(
      await dataSource.query('SELECT 1 FROM entry_versions WHERE entry_id = $1', [id]),
    ).toEqual([]);
    expect(await eventsOf('old/secret')).toEqual(
      expect.arrayContaining(['kv.entry.deleted', 'kv.entry.purged']),
    );
    expect((await put('old/secret', { value: 'v3', valueType: 'STRING' })).body.version).toBe(3);
  });

  it('needs kv-entry:delete to restore and kv-namespace:read to list, and shows keys only', async () => {
    await put('perm/key', { value: 'p', valueType: 'STRING' });
    await sut.http().delete(url('perm/key'));
    const noDelete = sut.http(
      await sut.tokens.only([
        KvPermission.EntryRead,
        KvPermission.EntryWrite,
        KvPermission.SecretRotate,
        KvPermission.NamespaceRead,
      ]),
    );
    expectProblem(await restore('perm/key', noDelete), 403, 'FORBIDDEN');
    expectProblem(await noDelete.post(`${url('perm/key')}/restore`), 403, 'FORBIDDEN');
    expectProblem(
      await deleted(sut.http(await sut.tokens.only([KvPermission.EntryRead]))),
      403,
      'FORBIDDEN',
    );
    const lister = await deleted(sut.http(await sut.tokens.only([KvPermission.NamespaceRead])));
    expect(lister.status).toBe(200);
    expect(JSON.stringify(lister.body)).not.toContain('"p"');
    expect(lister.body.items[0]).not.toHaveProperty('value');
    const audit = await sut.http().get(`${API}/audit?namespaceId=${ns}&action=RESTORE`);
    expect(audit.body.items.map((row: { statusCode: number }) => row.statusCode)).toEqual([
      403, 403,
    ]);
  });

  it("answers another application's namespace exactly like a missing one", async () => {
    await put('t/key', { value: 't', valueType: 'STRING' });
    await sut.http().delete(url('t/key'));
    const stranger = sut.http(
      await sut.tokens.only(
        [KvPermission.EntryDelete, KvPermission.NamespaceRead],
        [uniqueApplicationId()],
      ),
    );
    const missing = randomUUID();
    const shape = (res: request.Response, id: string) => ({
      status: res.status,
      body: JSON.parse(JSON.stringify(res.body).split(id).join('<id>')),
    });
    expect(shape(await restore('t/key', stranger), ns)).toEqual(
      shape(await restore('t/key', stranger, missing), missing),
    );
    expect(shape(await deleted(stranger), ns)).toEqual(
      shape(await deleted(stranger, missing), missing),
    );
    expectProblem(await deleted(stranger), 404, 'NAMESPACE_NOT_FOUND');
    expect((await deleted()).body.items).toHaveLength(1);
  });

  it('has nothing to recover in a plain namespace', async () => {
    const plain = (await sut.http().post(`${API}/namespaces`).send(namespaceBody())).body.id;
    await sut.http().put(url('k', plain)).send({ value: 1, valueType: 'NUMBER' });
    await sut.http().delete(url('k', plain));
    expectProblem(await deleted(sut.http(), plain), 400, 'NOT_A_SECRET_NAMESPACE');
    expectProblem(await restore('k', sut.http(), plain), 400, 'NOT_A_SECRET_NAMESPACE');
  });
});

describe('KV_SECRET_RECOVERY_DAYS=0', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ env: { KV_SECRET_RECOVERY_DAYS: '0' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('purges a deleted or expired secret at once', async () => {
    const ns = (
      await sut
        .http()
        .post(`${API}/namespaces`)
        .send(namespaceBody({ isSecretNamespace: true }))
    ).body.id;
    const url = (key: string) => `${API}/${ns}/entries/${key}`;
    const dataSource = sut.app!.get(DataSource);
    const gone = await sut.http().put(url('gone')).send({ value: 'x', valueType: 'STRING' });
    await sut.http().put(url('brief')).send({ value: 'y', valueType: 'STRING', ttlSeconds: 1 });
    await sut.http().delete(url('gone'));
    await expectEventually(async () =>
      expectProblem(await sut.http().get(url('brief')), 404, 'ENTRY_NOT_FOUND'),
    );
    await sut.app!.get(TtlSweeper).sweep();
    expect((await sut.http().get(`${API}/${ns}/deleted`)).body.items).toEqual([]);
    expectProblem(await sut.http().post(`${url('gone')}/restore`), 404, 'ENTRY_NOT_FOUND');
    expectProblem(await sut.http().post(`${url('brief')}/restore`), 404, 'ENTRY_NOT_FOUND');
    expect(
      await dataSource.query(
        'SELECT 1 FROM entry_versions v JOIN entries e ON e.id = v.entry_id WHERE e.namespace_id = $1',
        [ns],
      ),
    ).toEqual([]);
    const purged = await dataSource.query<{ ordering_key: string }[]>(
      `SELECT ordering_key FROM event_outbox WHERE routing_key = 'kv.entry.purged' AND namespace_id = $1
       ORDER BY ordering_key`,
      [ns],
    );
    expect(purged.map((row) => row.ordering_key)).toEqual([`${ns}/brief`, `${ns}/gone`]);
    // The version still continues.
    expect(
      (await sut.http().put(url('gone')).send({ value: 'z', valueType: 'STRING' })).body.version,
    ).toBe(gone.body.version + 1);
  });
});
