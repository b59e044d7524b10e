import request, { type Response } from 'supertest';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import {
  AuditPageDto,
  EntryDto,
  EntryPageDto,
  ProblemDto,
  RestorePlanDto,
  SnapshotDto,
  SnapshotPageDto,
  bodyOf,
} from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const revisionOf = (res: Response): number => Number(res.headers['x-kv-revision']);

describe('snapshots and restore', () => {
  let sut: TestApp;
  let ns: string;
  const { put } = entryRequests(
    () => sut,
    () => ns,
  );
  const snapshot = (body: Record<string, unknown>, http = sut.http()) =>
    http.post(`${API}/${ns}/snapshots`).send(body);
  const restore = (body: Record<string, unknown>, http = sut.http()) =>
    http.post(`${API}/${ns}/restore`).send(body);
  /** The live keys with their values, as a list with values answers them. */
  const state = async (asOf?: number) => {
    const query = asOf === undefined ? '' : `&asOfRevision=${asOf}`;
    const res = await sut.http().get(`${API}/${ns}/entries?includeValues=true&limit=1000${query}`);
    expect(res.status).toBe(200);
    return Object.fromEntries(
      bodyOf<EntryPageDto>(res).items.map((entry: EntryDto) => [
        entry.keyPath,
        [entry.valueType, entry.value],
      ]),
    );
  };
  const bulkSet = (entries: [string, unknown, string][]) =>
    sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({ entries: entries.map(([key, value, valueType]) => ({ key, value, valueType })) })
      .expect(200);
  const changeTypes = async (after: number) => {
    const res = await sut.http().get(`${API}/${ns}/changes?sinceRevision=${after}`);
    expect(res.status).toBe(200);
    return (res.body as { items: { revision: number; type: string; keyPath: string }[] }).items;
  };

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ({ id: ns } = await createNamespace(sut.http()));
  });

  it('pins the current revision under an immutable name, lists and gets it', async () => {
    await bulkSet([
      ['config/a', 1, 'NUMBER'],
      ['config/b', 'two', 'STRING'],
    ]);
    const made = await snapshot({ name: 'v1', description: 'first' });
    expect(made.status).toBe(201);
    expect(bodyOf<SnapshotDto>(made)).toEqual({
      name: 'v1',
      revision: 1,
      description: 'first',
      createdBy: 'test-admin',
      createdAt: expect.any(String),
    });
    await put('config/a', { value: 5, valueType: 'NUMBER' }).expect(200);
    await snapshot({ name: 'v0' }).expect(201);

    const again = await snapshot({ name: 'v1' });
    expectProblem(again, 409, 'SNAPSHOT_NAME_TAKEN');

    const listed = await sut.http().get(`${API}/${ns}/snapshots?limit=1`);
    expect(listed.status).toBe(200);
    const first = bodyOf<SnapshotPageDto>(listed);
    expect(first.items.map((s: SnapshotDto) => [s.name, s.revision, s.description])).toEqual([
      ['v0', 2, null],
    ]);
    const rest = bodyOf<SnapshotPageDto>(
      await sut.http().get(`${API}/${ns}/snapshots?limit=1&cursor=${first.nextCursor}`),
    );
    expect(rest.items.map((s: SnapshotDto) => s.name)).toEqual(['v1']);
    expect(rest.nextCursor).toBeNull();

    const got = await sut.http().get(`${API}/${ns}/snapshots/v1`);
    expect(bodyOf<SnapshotDto>(got)).toMatchObject({ name: 'v1', revision: 1 });
    expectProblem(await sut.http().get(`${API}/${ns}/snapshots/nope`), 404, 'SNAPSHOT_NOT_FOUND');
    expectProblem(await sut.http().get(`${API}/${ns}/snapshots/%20x`), 400, 'VALIDATION_FAILED');

    // Reading a snapshot is an as-of read of its revision.
    expect(await state(1)).toEqual({ 'config/a': ['NUMBER', 1], 'config/b': ['STRING', 'two'] });

    // A snapshot changes no entry, so it makes no revision.
    expect(revisionOf(await sut.http().get(`${API}/${ns}/entries`))).toBe(2);
  });

  it('refuses bad snapshot bodies, and answers a foreign namespace as a missing one', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: '-x' },
      { name: 'a/b' },
      { name: 'x', extra: 1 },
    ]) {
      expectProblem(await snapshot(body), 400, 'VALIDATION_FAILED');
    }
    const stranger = sut.http(await sut.tokens.mint({ applications: ['someone-else'] }));
    const foreign = await snapshot({ name: 'x' }, stranger);
    expectProblem(foreign, 404, 'NAMESPACE_NOT_FOUND');
    expectProblem(await stranger.get(`${API}/${ns}/snapshots`), 404, 'NAMESPACE_NOT_FOUND');
    expectProblem(await restore({ revision: 0 }, stranger), 404, 'NAMESPACE_NOT_FOUND');
    const reader = sut.http(await sut.tokens.only([KvPermission.NamespaceRead]));
    expectProblem(await snapshot({ name: 'x' }, reader), 403, 'FORBIDDEN');
    expect((await reader.get(`${API}/${ns}/snapshots`)).status).toBe(200);
    expectProblem(await request(sut.target).get(`${API}/${ns}/snapshots`), 401, 'UNAUTHORIZED');
  });

  it('restores a snapshot in one revision; the namespace equals it, the dry run equals the real plan', async () => {
    await bulkSet([
      ['config/a', 1, 'NUMBER'],
      ['config/b', 'two', 'STRING'],
      ['config/c', { deep: [1, 2] }, 'JSON'],
      ['other/x', true, 'BOOLEAN'],
    ]);
    const { revision: pinned } = bodyOf<SnapshotDto>(await snapshot({ name: 'good' }).expect(201));
    const before = await state();
    // Changes after the snapshot: an update, a delete, a new key, a delete and re-create.
    await put('config/a', { value: 100, valueType: 'NUMBER' }).expect(200);
    await sut.http().delete(`${API}/${ns}/entries/config%2Fb`).expect(204);
    await put('config/new', { value: 'fresh', valueType: 'STRING' }).expect(201);
    await sut.http().delete(`${API}/${ns}/entries/config%2Fc`).expect(204);
    await put('config/c', { value: { deep: [1, 2] }, valueType: 'JSON' }).expect(201);
    const current = revisionOf(await sut.http().get(`${API}/${ns}/entries`));
    expect(current).toBe(pinned + 5);

    const dry = await restore({ snapshot: 'good', dryRun: true, expectedRevision: current });
    expect(dry.status).toBe(200);
    expect(revisionOf(dry)).toBe(current);
    const plan = bodyOf<RestorePlanDto>(dry);
    expect(plan).toEqual({
      dryRun: true,
      fromRevision: pinned,
      revision: current,
      created: [{ key: 'config/b', version: 2 }],
      updated: [{ key: 'config/a', version: 3, previousVersion: 2 }],
      unchanged: [
        { key: 'config/c', version: 2 },
        { key: 'other/x', version: 1 },
      ],
      deleted: [{ key: 'config/new', version: 1 }],
    });
    // Nothing changed.
    expect(revisionOf(await sut.http().get(`${API}/${ns}/entries`))).toBe(current);

    const real = await restore({ snapshot: 'good', expectedRevision: current });
    expect(real.status).toBe(200);
    expect(revisionOf(real)).toBe(current + 1);
    expect(bodyOf<RestorePlanDto>(real)).toEqual({
      ...plan,
      dryRun: false,
      revision: current + 1,
    });
    expect(await state()).toEqual(before);
    // One revision holds every change of the restore, and the feed agrees with the plan.
    const changes = await changeTypes(current);
    expect(changes.map((c) => c.revision)).toEqual([current + 1, current + 1, current + 1]);
    expect(changes.map((c) => [c.type, c.keyPath]).sort()).toEqual(
      [
        ['kv.entry.created', 'config/b'],
        ['kv.entry.deleted', 'config/new'],
        ['kv.entry.updated', 'config/a'],
      ].sort(),
    );

    // Restoring the same state again changes nothing and makes no revision.
    const idle = await restore({ revision: pinned });
    expect(bodyOf<RestorePlanDto>(idle)).toMatchObject({
      created: [],
      updated: [],
      deleted: [],
      revision: current + 1,
    });
    expect(revisionOf(idle)).toBe(current + 1);

    const audit = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit?namespaceId=${ns}&action=RESTORE`),
    );
    expect(audit.items.map((row) => [row.keyPath, row.statusCode]).sort()).toEqual(
      expect.arrayContaining([
        ['config/a', 200],
        ['config/b', 200],
        ['config/new', 200],
      ]),
    );
  });

  it('answers a stale expectedRevision with 409 naming the current revision, and changes nothing', async () => {
    await put('k', { value: 'one', valueType: 'STRING' }).expect(201);
    await put('k', { value: 'two', valueType: 'STRING' }).expect(200);
    for (const dryRun of [true, false]) {
      const stale = await restore({ revision: 1, expectedRevision: 1, dryRun });
      expectProblem(stale, 409, 'REVISION_CONFLICT');
      expect(bodyOf<ProblemDto>(stale)).toMatchObject({ revision: 2 });
      const ahead = await restore({ revision: 1, expectedRevision: 3, dryRun });
      expectProblem(ahead, 409, 'REVISION_CONFLICT');
    }
    expect(bodyOf<EntryDto>(await put('k', { value: 'two', valueType: 'STRING' }))).toMatchObject({
      version: 3,
    });
    expect(await state()).toEqual({ k: ['STRING', 'two'] });
  });

  it('restores only the prefix, leaving other keys as they are', async () => {
    await bulkSet([
      ['app/a', 'a1', 'STRING'],
      ['app/b', 'b1', 'STRING'],
      ['db/a', 'd1', 'STRING'],
    ]);
    await bulkSet([
      ['app/a', 'a2', 'STRING'],
      ['app/c', 'c2', 'STRING'],
      ['db/a', 'd2', 'STRING'],
    ]);
    const res = await restore({ revision: 1, prefix: 'app/' });
    expect(res.status).toBe(200);
    expect(bodyOf<RestorePlanDto>(res)).toMatchObject({
      updated: [{ key: 'app/a', version: 3 }],
      unchanged: [{ key: 'app/b', version: 1 }],
      deleted: [{ key: 'app/c', version: 1 }],
      created: [],
    });
    expect(await state()).toEqual({
      'app/a': ['STRING', 'a1'],
      'app/b': ['STRING', 'b1'],
      'db/a': ['STRING', 'd2'],
    });
  });

  it('refuses bad restores: neither or both sources, a future revision, a missing snapshot', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' }).expect(201);
    expectProblem(await restore({}), 400, 'VALIDATION_FAILED');
    expectProblem(await restore({ revision: 1, snapshot: 'x' }), 400, 'VALIDATION_FAILED');
    expectProblem(await restore({ revision: -1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await restore({ revision: '1' }), 400, 'VALIDATION_FAILED');
    expectProblem(await restore({ revision: 1, dryRun: 'yes' }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await restore({ revision: 1, prefix: 'x'.repeat(513) }),
      400,
      'VALIDATION_FAILED',
    );
    const ahead = await restore({ revision: 2 });
    expectProblem(ahead, 400, 'VALIDATION_FAILED');
    expect(bodyOf<ProblemDto>(ahead).errors).toEqual([
      { field: 'revision', message: "2 is ahead of the namespace's revision 1" },
    ]);
    expectProblem(await restore({ snapshot: 'missing' }), 404, 'SNAPSHOT_NOT_FOUND');
  });

  it('needs kv-entry:write, kv-entry:delete and kv-entry:read', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' }).expect(201);
    await put('k', { value: 2, valueType: 'NUMBER' }).expect(200);
    const writer = sut.http(
      await sut.tokens.only([
        KvPermission.EntryWrite,
        KvPermission.EntryRead,
        KvPermission.NamespaceRead,
      ]),
    );
    expectProblem(await restore({ revision: 1 }, writer), 403, 'FORBIDDEN');
    expectProblem(await restore({ revision: 1, dryRun: true }, writer), 403, 'FORBIDDEN');
    const deleter = sut.http(await sut.tokens.only([KvPermission.EntryDelete]));
    expectProblem(await restore({ revision: 1 }, deleter), 403, 'FORBIDDEN');
    const both = sut.http(
      await sut.tokens.only([KvPermission.EntryWrite, KvPermission.EntryDelete]),
    );
    // Without read, the plan's unchanged/updated would test a guess of a past value.
    expectProblem(await restore({ revision: 1, dryRun: true }, both), 403, 'FORBIDDEN');
    const all = sut.http(
      await sut.tokens.only([
        KvPermission.EntryWrite,
        KvPermission.EntryDelete,
        KvPermission.EntryRead,
      ]),
    );
    const res = await restore({ revision: 1 }, all);
    expect(res.status).toBe(200);
    expect(await state()).toEqual({ k: ['NUMBER', 1] });
  });

  it('restores a secret namespace: values opened and sealed again as new versions, never in the plan or events', async () => {
    ({ id: ns } = await createNamespace(sut.http(), { isSecretNamespace: true }));
    await bulkSet([
      ['db/password', 'hunter2-original', 'STRING'],
      ['db/user', 'dbuser-secret', 'STRING'],
    ]);
    await snapshot({ name: 'safe' }).expect(201);
    await put('db/password', { value: 'leaked-rotate-me', valueType: 'STRING' }).expect(200);
    await sut.http().delete(`${API}/${ns}/entries/db%2Fuser`).expect(204);

    const res = await restore({ snapshot: 'safe' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(await state()).toEqual({
      'db/password': ['STRING', 'hunter2-original'],
      'db/user': ['STRING', 'dbuser-secret'],
    });
    const dataSource = sut.app!.get(DataSource);
    const stored = await dataSource.query<{ value: string | null; sealed: boolean }[]>(
      `SELECT value, value_ciphertext IS NOT NULL AS sealed FROM entries WHERE namespace_id = $1`,
      [ns],
    );
    expect(stored).toEqual([
      { value: null, sealed: true },
      { value: null, sealed: true },
    ]);
    const outbox = await dataSource.query<{ payload: string }[]>(
      `SELECT payload FROM event_outbox WHERE namespace_id = $1`,
      [ns],
    );
    expect(outbox.map((row) => row.payload).join('\n')).not.toMatch(/hunter2|dbuser-secret/);
    const versions = await sut.http().get(`${API}/${ns}/entries/db%2Fpassword/versions/3`);
    expect(versions.body).toMatchObject({ version: 3, value: 'hunter2-original' });
  });
});
