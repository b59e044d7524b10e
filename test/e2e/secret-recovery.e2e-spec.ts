import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import {
  AuditPageDto,
  DeletedEntryPageDto,
  EntryDto,
  EntryPageDto,
  EntryVersionPageDto,
  bodyOf,
} from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace, uniqueApplicationId } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const DAY_MS = 24 * 3600 * 1000;

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
    ns = (await createNamespace(sut.http(), { applicationId: app, isSecretNamespace: true })).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const { url, put } = entryRequests(
    () => sut,
    () => ns,
  );
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
    expect(bodyOf<EntryDto>(expiring).version).toBe(3);
    // The sweeper's own timer buries it.
    await expectEventually(async () =>
      expect(bodyOf<DeletedEntryPageDto>(await deleted()).items.map((i) => i.keyPath)).toEqual([
        'db/password',
      ]),
    );
    expectProblem(await sut.http().get(url('db/password')), 404, 'ENTRY_NOT_FOUND');
    expect(bodyOf<EntryPageDto>(await sut.http().get(`${API}/${ns}/entries`)).items).toEqual([]);
    expect(
      bodyOf<EntryPageDto>(await sut.http().get(`${API}/${ns}/entries?includeValues=true`)).items,
    ).toEqual([]);
    expect(
      (
        await sut
          .http()
          .post(`${API}/${ns}/bulk/get`)
          .send({ keys: ['db/password'] })
      ).body,
    ).toEqual({ items: [], missing: ['db/password'] });
    expectProblem(await sut.http().get(`${url('db/password')}/versions`), 404, 'ENTRY_NOT_FOUND');

    const [item] = bodyOf<DeletedEntryPageDto>(await deleted()).items;
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
    expect(bodyOf<EntryDto>(restored).metadata).toEqual({ owner: 'team-a' });
    expect(restored.body).not.toHaveProperty('value');
    expect((await sut.http().get(url('db/password'))).body).toMatchObject({
      value: 'third',
      version: 4,
    });
    const versions = bodyOf<EntryVersionPageDto>(
      await sut.http().get(`${url('db/password')}/versions`),
    ).items;
    expect(versions.map((v) => v.changeReason)).toEqual([
      'restore',
      'update',
      'rotation',
      'create',
    ]);
    // The old versions are still there to roll back to.
    expect(
      bodyOf<EntryDto>(
        await sut
          .http()
          .post(`${url('db/password')}/rollback`)
          .send({ version: 1 }),
      ).value,
    ).toBe('first');
    expect(bodyOf<DeletedEntryPageDto>(await deleted()).items).toEqual([]);
    expect(await eventsOf('db/password')).toEqual(
      expect.arrayContaining(['kv.entry.expired', 'kv.entry.restored']),
    );
    const audit = await sut.http().get(`${API}/audit?namespaceId=${ns}&action=RESTORE`);
    expect(bodyOf<AuditPageDto>(audit).items).toEqual([
      expect.objectContaining({ keyPath: 'db/password', success: true, statusCode: 200 }),
    ]);
  });

  it('restores a deleted secret once: 409 while it is live, 404 where nothing is recoverable', async () => {
    await put('api/key', { value: 'k1', valueType: 'STRING' });
    expect((await sut.http().delete(url('api/key'))).status).toBe(204);
    expect(bodyOf<DeletedEntryPageDto>(await deleted()).items).toEqual([
      expect.objectContaining({ keyPath: 'api/key', version: 1 }),
    ]);
    const restored = await restore('api/key');
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ value: 'k1', version: 2 });
    expectProblem(await restore('api/key'), 409, 'VERSION_CONFLICT');
    expectProblem(await restore('never/there'), 404, 'ENTRY_NOT_FOUND');
    // Written again instead of restored: the history continues and nothing is left to restore.
    await sut.http().delete(url('api/key'));
    expect(
      bodyOf<EntryDto>(await put('api/key', { value: 'k2', valueType: 'STRING' })).version,
    ).toBe(3);
    expectProblem(await restore('api/key'), 409, 'VERSION_CONFLICT');
    expect(bodyOf<DeletedEntryPageDto>(await deleted()).items).toEqual([]);
    expect(
      bodyOf<EntryVersionPageDto>(await sut.http().get(`${url('api/key')}/versions`)).items.map(
        (v) => v.version,
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
    expect(bodyOf<DeletedEntryPageDto>(first).items.map((i) => i.keyPath)).toEqual(['a/1', 'a/2']);
    const second = await sut
      .http()
      .get(
        `${API}/${ns}/deleted?prefix=a/&limit=2&cursor=${bodyOf<DeletedEntryPageDto>(first).nextCursor}`,
      );
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
    const { id } = bodyOf<EntryDto>(await sut.http().get(url('old/secret')));
    await sut.http().delete(url('old/secret'));
    await dataSource.query(
      `UPDATE entries SET deleted_at = deleted_at - interval '8 days',
         recoverable_until = recoverable_until - interval '8 days'
       WHERE id = $1`,
      [id],
    );
    await sut.app!.get(TtlSweeper).sweep();
    expect(bodyOf<DeletedEntryPageDto>(await deleted()).items).toEqual([]);
    expectProblem(await restore('old/secret'), 404, 'ENTRY_NOT_FOUND');
    expect(
      await dataSource.query('SELECT 1 FROM entry_versions WHERE entry_id = $1', [id]),
    ).toEqual([]);
    expect(await eventsOf('old/secret')).toEqual(
      expect.arrayContaining(['kv.entry.deleted', 'kv.entry.purged']),
    );
    expect(
      bodyOf<EntryDto>(await put('old/secret', { value: 'v3', valueType: 'STRING' })).version,
    ).toBe(3);
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
    expect(bodyOf<DeletedEntryPageDto>(lister).items[0]).not.toHaveProperty('value');
    const audit = await sut.http().get(`${API}/audit?namespaceId=${ns}&action=RESTORE`);
    expect(bodyOf<AuditPageDto>(audit).items.map((row) => row.statusCode)).toEqual([403, 403]);
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
    expect(bodyOf<DeletedEntryPageDto>(await deleted()).items).toHaveLength(1);
  });

  it('has nothing to recover in a plain namespace', async () => {
    const plain = (await createNamespace(sut.http())).id;
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
    const ns = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const { url } = entryRequests(
      () => sut,
      () => ns,
    );
    const dataSource = sut.app!.get(DataSource);
    const gone = await sut.http().put(url('gone')).send({ value: 'x', valueType: 'STRING' });
    await sut.http().put(url('brief')).send({ value: 'y', valueType: 'STRING', ttlSeconds: 1 });
    await sut.http().delete(url('gone'));
    await expectEventually(async () =>
      expectProblem(await sut.http().get(url('brief')), 404, 'ENTRY_NOT_FOUND'),
    );
    await sut.app!.get(TtlSweeper).sweep();
    expect(bodyOf<DeletedEntryPageDto>(await sut.http().get(`${API}/${ns}/deleted`)).items).toEqual(
      [],
    );
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
      bodyOf<EntryDto>(await sut.http().put(url('gone')).send({ value: 'z', valueType: 'STRING' }))
        .version,
    ).toBe(bodyOf<EntryDto>(gone).version + 1);
  });
});
