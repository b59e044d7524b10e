import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v3 } from 'uuid';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import {
  AuditPageDto,
  BulkGetResultDto,
  BulkSetResultDto,
  EntryDto,
  EntryVersionPageDto,
  ProblemDto,
  bodyOf,
} from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

describe('bulk', () => {
  let sut: TestApp;
  let dataSource: DataSource;
  let ns: string;

  beforeAll(async () => {
    sut = await createTestApp();
    dataSource = sut.app!.get(DataSource);
  });

  beforeEach(async () => {
    ns = (await createNamespace(sut.http())).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const bulk = (op: string, body: unknown, http = sut.http(), namespace = ns) =>
    http.post(`${API}/${namespace}/bulk/${op}`).send(body as object);
  const entries = (n: number, prefix = 'k') =>
    Array.from({ length: n }, (_, i) => ({
      key: `${prefix}/${String(i).padStart(4, '0')}`,
      value: i,
      valueType: 'NUMBER',
    }));
  const count = async (namespace = ns) =>
    Number(
      (
        await dataSource.query(
          'SELECT count(*) FROM entries WHERE namespace_id = $1 AND deleted_at IS NULL',
          [namespace],
        )
      )[0].count,
    );

  it('sets 1000 entries in one call and gets them back with the missing ones named', async () => {
    const set = await bulk('set', { entries: entries(1000) });
    expect(set.status).toBe(200);
    expect(bodyOf<BulkSetResultDto>(set).items).toHaveLength(1000);
    expect(bodyOf<BulkSetResultDto>(set).items[7]).toMatchObject({
      keyPath: 'k/0007',
      value: 7,
      version: 1,
    });
    expect(await count()).toBe(1000);
    const got = await bulk('get', { keys: ['k/0999', 'nope', 'k/0000', 'also/nope'] });
    expect(got.status).toBe(200);
    expect(bodyOf<BulkGetResultDto>(got).items.map((e) => [e.keyPath, e.value])).toEqual([
      ['k/0999', 999],
      ['k/0000', 0],
    ]);
    expect(bodyOf<BulkGetResultDto>(got).missing).toEqual(['nope', 'also/nope']);
  });

  it('updates existing entries to their next version and honours per-item expectedVersion', async () => {
    await bulk('set', { entries: entries(3) });
    const again = await bulk('set', {
      entries: entries(3).map((e) => ({ ...e, value: e.value + 10, expectedVersion: 1 })),
    });
    expect(again.status).toBe(200);
    expect(bodyOf<BulkSetResultDto>(again).items.map((e) => [e.version, e.value])).toEqual([
      [2, 10],
      [2, 11],
      [2, 12],
    ]);
    const stale = await bulk('set', {
      entries: [
        { ...entries(1)[0], expectedVersion: 1 },
        { key: 'fresh', value: 1, valueType: 'NUMBER', expectedVersion: 0 },
      ],
    });
    expectProblem(stale, 409, 'VERSION_CONFLICT');
    expect(bodyOf<ProblemDto>(stale).errors).toEqual([
      expect.objectContaining({ index: 0, key: 'k/0000', field: 'expectedVersion' }),
    ]);
    expect((await sut.http().get(`${API}/${ns}/entries/fresh`)).status).toBe(404);
  });

  it('writes nothing when one item is invalid, and names it by index and key', async () => {
    const batch = [
      ...entries(5),
      { key: 'bad', value: 'not a number', valueType: 'NUMBER' },
      { key: 'a//b', value: 1, valueType: 'NUMBER' },
    ];
    const res = await bulk('set', { entries: batch });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(bodyOf<ProblemDto>(res).errors).toEqual([
      expect.objectContaining({ index: 5, key: 'bad', field: 'value' }),
      expect.objectContaining({ index: 6, key: 'a//b', field: 'key' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('not a number');
    expect(await count()).toBe(0);
  });

  it.each([
    ['more than 1000 entries', () => ({ entries: entries(1001) }), 'entries'],
    ['a repeated key', () => ({ entries: [...entries(2), entries(1)[0]] }), 'key'],
    ['an item that is not an object', () => ({ entries: [...entries(1), 'x'] }), 'entries'],
    ['an unknown item field', () => ({ entries: [{ ...entries(1)[0], colour: 'red' }] }), 'colour'],
    [
      'a reserved last segment',
      () => ({ entries: [{ key: 'a/rotate', value: 1, valueType: 'NUMBER' }] }),
      'key',
    ],
    ['no entries field', () => ({}), 'entries'],
  ])('rejects a set with %s, writing nothing', async (_case, body, field) => {
    const res = await bulk('set', body());
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(bodyOf<ProblemDto>(res).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
    expect(await count()).toBe(0);
  });

  it('answers an oversized value in a batch with 413, writing nothing', async () => {
    const res = await bulk('set', {
      entries: [...entries(2), { key: 'big', value: 'x'.repeat(70000), valueType: 'STRING' }],
    });
    expectProblem(res, 413, 'VALUE_TOO_LARGE');
    expect(bodyOf<ProblemDto>(res).errors).toEqual([
      expect.objectContaining({ index: 2, key: 'big' }),
    ]);
    expect(await count()).toBe(0);
  });

  it.each([
    ['get', { keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) }],
    ['delete', { keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) }],
    ['get', { keys: ['a', 'b', 'a'] }],
    ['delete', { keys: ['a', '..'] }],
    ['get', { keys: 'a' }],
    ['get', { keys: [1] }],
  ])('rejects bulk %s of %p', async (op, body) => {
    expectProblem(await bulk(op, body), 400, 'VALIDATION_FAILED');
  });

  it('rejects an item nested 5000 levels deep with 400, not 500, writing nothing', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .set('content-type', 'application/json')
      .send(
        `{"entries":[{"key":"a","value":1,"valueType":"NUMBER"},{"key":"b","value":${deep},"valueType":"JSON"}]}`,
      );
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await count()).toBe(0);
  });

  it('keeps values and metadata with keys named like members of Object exactly', async () => {
    const awkward = { constructor: 1, prototype: 'p', valueOf: 0, toString: { a: [] } };
    const set = await bulk('set', {
      entries: [{ key: 'members', value: awkward, valueType: 'JSON', metadata: awkward }],
    });
    expect(set.status).toBe(200);
    const got = await bulk('get', { keys: ['members'] });
    const [member] = bodyOf<BulkGetResultDto>(got).items;
    expect(JSON.stringify(member.value)).toBe(JSON.stringify(awkward));
    expect(JSON.stringify(member.metadata)).toBe(JSON.stringify(awkward));
  });

  it('deletes in one call and names what was missing', async () => {
    await bulk('set', { entries: entries(3) });
    const res = await bulk('delete', { keys: ['k/0000', 'ghost', 'k/0002'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: ['k/0000', 'k/0002'], missing: ['ghost'] });
    expect(await count()).toBe(1);
  });

  it('applies TTL defaults and hides expired entries from bulk get', async () => {
    const withDefault = (await createNamespace(sut.http(), { defaultTtlSeconds: 3600 })).id;
    const res = await bulk(
      'set',
      {
        entries: [
          { key: 'a', value: 1, valueType: 'NUMBER' },
          { key: 'b', value: 1, valueType: 'NUMBER', ttlSeconds: null },
          { key: 'c', value: 1, valueType: 'NUMBER', ttlSeconds: 1 },
        ],
      },
      sut.http(),
      withDefault,
    );
    expect(bodyOf<BulkSetResultDto>(res).items[0].expiresAt).not.toBeNull();
    expect(bodyOf<BulkSetResultDto>(res).items[1].expiresAt).toBeNull();
    await expectEventually(async () => {
      expect(
        bodyOf<BulkGetResultDto>(
          await bulk('get', { keys: ['a', 'b', 'c'] }, sut.http(), withDefault),
        ).missing,
      ).toEqual(['c']);
    });
  });

  it('encrypts at rest and keeps versions in a secret namespace', async () => {
    const secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const marker = `bulk-secret-${randomUUID()}`;
    await bulk(
      'set',
      {
        entries: [
          { key: 'db/password', value: marker, valueType: 'STRING' },
          { key: 'api/key', value: 'k1', valueType: 'STRING' },
        ],
      },
      sut.http(),
      secret,
    );
    await bulk(
      'set',
      { entries: [{ key: 'db/password', value: `${marker}-2`, valueType: 'STRING' }] },
      sut.http(),
      secret,
    );
    const rows = await dataSource.query(
      'SELECT value, value_ciphertext FROM entries WHERE namespace_id = $1',
      [secret],
    );
    expect(
      rows.every(
        (r: { value: unknown; value_ciphertext: Buffer }) =>
          r.value === null && !r.value_ciphertext.toString('latin1').includes(marker),
      ),
    ).toBe(true);
    const got = await bulk('get', { keys: ['db/password', 'api/key'] }, sut.http(), secret);
    expect(bodyOf<BulkGetResultDto>(got).items.map((e) => e.value)).toEqual([`${marker}-2`, 'k1']);
    const versions = await sut.http().get(`${API}/${secret}/entries/db/password/versions`);
    expect(
      bodyOf<EntryVersionPageDto>(versions).items.map((v) => [v.version, v.changeReason]),
    ).toEqual([
      [2, 'update'],
      [1, 'create'],
    ]);
    expect(
      bodyOf<EntryDto>(
        await sut.http().post(`${API}/${secret}/entries/db/password/rollback`).send({ version: 1 }),
      ).value,
    ).toBe(marker);
  });

  it('needs the entry permission of each operation and hides other applications', async () => {
    const reader = sut.http(await sut.tokens.only([KvPermission.EntryRead]));
    expect((await bulk('get', { keys: ['a'] }, reader)).status).toBe(200);
    expectProblem(await bulk('set', { entries: entries(1) }, reader), 403, 'FORBIDDEN');
    expectProblem(await bulk('delete', { keys: ['a'] }, reader), 403, 'FORBIDDEN');
    const outsider = sut.http(
      await sut.tokens.only([KvPermission.EntryRead, KvPermission.EntryWrite], ['other-app']),
    );
    expectProblem(await bulk('get', { keys: ['a'] }, outsider), 404, 'NAMESPACE_NOT_FOUND');
    expectProblem(await bulk('set', { entries: entries(1) }, outsider), 404, 'NAMESPACE_NOT_FOUND');
  });

  it('leaves one audit row per key, for success and failure alike', async () => {
    const sub = `bulk-user-${randomUUID()}`;
    const http = sut.http(await sut.tokens.mint({ sub }));
    await bulk('set', { entries: entries(3) }, http);
    await bulk('get', { keys: ['k/0000', 'ghost'] }, http);
    await bulk(
      'set',
      { entries: [...entries(1), { key: 'bad', value: 'x', valueType: 'NUMBER' }] },
      http,
    );
    await bulk('delete', { keys: ['k/0001'] }, http);
    const rows = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub, limit: 100 }),
    ).items;
    // Rows of one call share a timestamp, so only their set is ordered: compare as sets.
    const tuples = (list: unknown[][]) => list.map((t) => JSON.stringify(t)).sort();
    expect(tuples(rows.map((r) => [r.action, r.keyPath, r.success, r.statusCode]))).toEqual(
      tuples([
        ['WRITE', 'k/0000', true, 200],
        ['WRITE', 'k/0001', true, 200],
        ['WRITE', 'k/0002', true, 200],
        ['READ', 'k/0000', true, 200],
        ['READ', 'ghost', false, 404],
        ['WRITE', 'k/0000', false, 400],
        ['WRITE', 'bad', false, 400],
        ['DELETE', 'k/0001', true, 200],
      ]),
    );
    const firstCall = rows.filter((r) => r.action === 'WRITE' && r.success);
    expect(new Set(firstCall.map((r) => r.requestId)).size).toBe(1);
  });

  it("stores a call's rows as one record and pages through them one key at a time", async () => {
    const sub = `bulk-pager-${randomUUID()}`;
    const http = sut.http(await sut.tokens.mint({ sub }));
    await bulk('set', { entries: entries(5) }, http);
    const { requestId } = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub, limit: 1 }),
    ).items[0];
    expect(
      await dataSource.query(
        'SELECT cardinality(key_paths) AS n FROM audit_log WHERE request_id = $1',
        [requestId],
      ),
    ).toEqual([{ n: 5 }]);
    const seen: AuditPageDto['items'] = [];
    let cursor: string | undefined;
    do {
      const page = bodyOf<AuditPageDto>(
        await sut.http().get(`${API}/audit`).query({ userId: sub, limit: 2, cursor }),
      );
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((r) => r.keyPath).sort()).toEqual(entries(5).map((e) => e.key));
    // Each key's id is the name-based UUID (v3) of the stored record's id and the key's position.
    const [{ id: recordId }] = await dataSource.query(
      'SELECT id FROM audit_log WHERE request_id = $1',
      [requestId],
    );
    expect(seen.map((r) => r.id)).toEqual([5, 4, 3, 2, 1].map((ord) => v3(String(ord), recordId)));
    const again = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub, limit: 5 }),
    );
    expect(again.items.map((r) => r.id)).toEqual(seen.map((r) => r.id));
    const filtered = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub, keyPath: 'k/0003' }),
    ).items;
    expect(filtered).toEqual([seen.find((r) => r.keyPath === 'k/0003')]);
  });

  it('keeps concurrent overlapping batches consistent: every key ends at one version per write', async () => {
    const batches = Array.from({ length: 6 }, () =>
      bulk('set', { entries: entries(50, 'shared') }),
    );
    const results = await Promise.all(batches);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const versions = await dataSource.query(
      `SELECT DISTINCT version FROM entries WHERE namespace_id = $1 AND key_path LIKE 'shared/%'`,
      [ns],
    );
    expect(versions).toEqual([{ version: 6 }]);
  });
});
