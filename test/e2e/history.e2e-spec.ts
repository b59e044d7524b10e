import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, EntryVersionPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

describe('history of every namespace: versions and version n', () => {
  let sut: TestApp;
  let ns: string;
  let applicationId: string;
  const { url, put } = entryRequests(
    () => sut,
    () => ns,
  );

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ({ id: ns, applicationId } = await createNamespace(sut.http()));
  });

  it('keeps a version per change of a plain entry, whichever writer made it', async () => {
    const sub = `historian-${randomUUID()}`;
    const http = sut.http(await sut.tokens.mint({ sub }));
    await put('app/db/url', { value: 'one', valueType: 'STRING' }, { http });
    await put('app/db/url', { value: { two: 2 }, valueType: 'JSON' }, { http });
    // If-Match takes the locking writer, a bulk set the bulk writer.
    await http
      .put(url('app/db/url'))
      .set('if-match', '"2"')
      .send({ value: 3, valueType: 'NUMBER' });
    await http
      .post(`${API}/${ns}/bulk/set`)
      .send({ entries: [{ key: 'app/db/url', value: true, valueType: 'BOOLEAN' }] });

    const listed = await http.get(`${url('app/db/url')}/versions`);
    expect(listed.status).toBe(200);
    expect(listed.headers['x-kv-revision']).toBe('4');
    expect(bodyOf<EntryVersionPageDto>(listed)).toEqual({
      items: [
        [4, 'BOOLEAN', 'update'],
        [3, 'NUMBER', 'update'],
        [2, 'JSON', 'update'],
        [1, 'STRING', 'create'],
      ].map(([version, valueType, changeReason]) => ({
        version,
        valueType,
        changeReason,
        changedBy: sub,
        createdAt: expect.any(String),
      })),
      nextCursor: null,
    });
    const values = await Promise.all(
      [1, 2, 3, 4].map(async (n) => (await http.get(`${url('app/db/url')}/versions/${n}`)).body),
    );
    expect(values.map((v: { value: unknown }) => v.value)).toEqual(['one', { two: 2 }, 3, true]);
    expect(values[1]).toEqual({
      version: 2,
      valueType: 'JSON',
      value: { two: 2 },
      changeReason: 'update',
      changedBy: sub,
      createdAt: expect.any(String),
    });
    // The key with its slashes raw or encoded names the same version.
    const raw = await http.get(`${API}/${ns}/entries/app/db/url/versions/1`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ version: 1, value: 'one' });

    const audit = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub, action: 'READ' }),
    ).items;
    expect(audit).toHaveLength(6);
    expect(audit.every((row) => row.keyPath === 'app/db/url' && row.success)).toBe(true);
  });

  it('refuses a version not kept, a bad n, a caller without kv-entry:read or of another application', async () => {
    await put('k', { value: 'v', valueType: 'STRING' });
    expectProblem(await sut.http().get(`${url('k')}/versions/2`), 404, 'VERSION_NOT_FOUND');
    expectProblem(await sut.http().get(`${url('absent')}/versions/1`), 404, 'ENTRY_NOT_FOUND');
    for (const bad of ['0', '99999999999999999999']) {
      expectProblem(await sut.http().get(`${url('k')}/versions/${bad}`), 400, 'VALIDATION_FAILED');
    }
    // Only digits name a version: anything else is part of a key (k/versions/x), not there.
    for (const other of ['x', '-1', '1.5']) {
      expectProblem(await sut.http().get(`${url('k')}/versions/${other}`), 404, 'ENTRY_NOT_FOUND');
    }
    const reader = await sut.tokens.only([KvPermission.NamespaceRead]);
    expectProblem(await sut.http(reader).get(`${url('k')}/versions/1`), 403, 'FORBIDDEN');
    const stranger = await sut.tokens.only([KvPermission.EntryRead], ['another-application']);
    expectProblem(
      await sut.http(stranger).get(`${url('k')}/versions/1`),
      404,
      'NAMESPACE_NOT_FOUND',
    );
    const mine = await sut.tokens.only([KvPermission.EntryRead], [applicationId]);
    expect((await sut.http(mine).get(`${url('k')}/versions/1`)).body).toMatchObject({
      value: 'v',
    });
    expectProblem(await sut.http('').get(`${url('k')}/versions/1`), 401, 'UNAUTHORIZED');
  });

  it('opens a secret version for its reader, and keeps it sealed in the database', async () => {
    ns = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const marker = `secret-${randomUUID()}`;
    await put('s', { value: marker, valueType: 'STRING' });
    await sut
      .http()
      .post(`${url('s')}/rotate`)
      .send({ value: 'next' });
    const first = await sut.http().get(`${url('s')}/versions/1`);
    expect(first.body).toMatchObject({ version: 1, value: marker, changeReason: 'create' });
    const stored = await sut
      .app!.get(DataSource)
      .query<{ value: string | null }[]>(
        `SELECT v.value FROM entry_versions v JOIN entries e ON e.id = v.entry_id WHERE e.namespace_id = $1`,
        [ns],
      );
    expect(stored).toEqual([{ value: null }, { value: null }]);
  });

  it('keeps a plain deleted key’s history, and prunes past maxVersions', async () => {
    ({ id: ns } = await createNamespace(sut.http(), { maxVersions: 2 }));
    for (const value of [1, 2, 3]) {
      await put('capped', { value, valueType: 'NUMBER' });
    }
    const versions = bodyOf<EntryVersionPageDto>(
      await sut.http().get(`${url('capped')}/versions`),
    ).items;
    expect(versions.map((v) => v.version)).toEqual([3, 2]);
    await sut.http().delete(url('capped')).expect(204);
    const kept = await sut.app!.get(DataSource).query<{ version: number }[]>(
      `SELECT v.version FROM entry_versions v JOIN entries e ON e.id = v.entry_id
         WHERE e.namespace_id = $1 ORDER BY v.version`,
      [ns],
    );
    expect(kept).toEqual([{ version: 2 }, { version: 3 }]);
  });

  it('reads an entry and a list as of a revision, values and all', async () => {
    const states: { keyPath: string; value: unknown; version: number }[][] = [[]];
    const record = async () => {
      const listed = await sut.http().get(`${API}/${ns}/entries`).query({ includeValues: true });
      states[Number(listed.headers['x-kv-revision'])] = (
        listed.body as { items: { keyPath: string; value: unknown; version: number }[] }
      ).items.map(({ keyPath, value, version }) => ({ keyPath, value, version }));
    };
    await put('a', { value: 'a1', valueType: 'STRING' });
    await record();
    await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({
        entries: [
          { key: 'a', value: 'a2', valueType: 'STRING' },
          { key: 'b/c', value: { n: 1 }, valueType: 'JSON' },
        ],
      });
    await record();
    await sut.http().delete(url('a')).expect(204);
    await record();
    await put('a', { value: 'a3', valueType: 'STRING' });
    await record();
    for (let at = 0; at < states.length; at += 1) {
      const listed = await sut
        .http()
        .get(`${API}/${ns}/entries`)
        .query({ includeValues: true, asOfRevision: at });
      expect(listed.status).toBe(200);
      expect(listed.headers['x-kv-revision']).toBe(String(at));
      expect(
        (
          listed.body as { items: { keyPath: string; value: unknown; version: number }[] }
        ).items.map(({ keyPath, value, version }) => ({ keyPath, value, version })),
      ).toEqual(states[at]);
      const one = await sut.http().get(url('a')).query({ asOfRevision: at });
      const expected = states[at].find((e) => e.keyPath === 'a');
      if (expected) {
        expect(one.body).toMatchObject({ ...expected, metadata: null, expiresAt: null });
      } else {
        expectProblem(one, 404, 'ENTRY_NOT_FOUND');
      }
    }
    const paged = await sut.http().get(`${API}/${ns}/entries`).query({ asOfRevision: 2, limit: 1 });
    expect(paged.body).toEqual({
      items: [
        expect.objectContaining({ keyPath: 'a', version: 2, modRevision: 2, createRevision: 1 }),
      ],
      nextCursor: expect.any(String),
    });
    expectProblem(
      await sut.http().get(url('a')).query({ asOfRevision: 99 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await sut.http().get(url('a')).query({ asOfRevision: -1 }),
      400,
      'VALIDATION_FAILED',
    );
    await sut
      .app!.get(DataSource)
      .query('UPDATE namespace_revisions SET compacted_revision = 2 WHERE namespace_id = $1', [ns]);
    const gone = await sut.http().get(`${API}/${ns}/entries`).query({ asOfRevision: 1 });
    expectProblem(gone, 410, 'REVISION_COMPACTED');
    expect(gone.body.revision).toBe(2);
    expect((await sut.http().get(url('b/c')).query({ asOfRevision: 2 })).body).toMatchObject({
      value: { n: 1 },
    });
  });

  it('opens a secret as of a revision, and answers 410 for a version maxVersions pruned', async () => {
    ns = (await createNamespace(sut.http(), { isSecretNamespace: true, maxVersions: 1 })).id;
    await put('s', { value: 'first', valueType: 'STRING' });
    expect((await sut.http().get(url('s')).query({ asOfRevision: 1 })).body).toMatchObject({
      value: 'first',
      version: 1,
    });
    await sut
      .http()
      .post(`${url('s')}/rotate`)
      .send({ value: 'second' });
    expect((await sut.http().get(url('s')).query({ asOfRevision: 2 })).body).toMatchObject({
      value: 'second',
    });
    expectProblem(
      await sut.http().get(url('s')).query({ asOfRevision: 1 }),
      410,
      'REVISION_COMPACTED',
    );
  });
});
