import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import {
  AuditPageDto,
  EntryDto,
  EntryPageDto,
  EntryVersionPageDto,
  NamespaceDto,
  ProblemDto,
  bodyOf,
} from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

describe('secret namespaces', () => {
  let sut: TestApp;
  let dataSource: DataSource;
  let secret: string;
  let plain: string;

  beforeAll(async () => {
    sut = await createTestApp();
    dataSource = sut.app!.get(DataSource);
  });

  beforeEach(async () => {
    secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    plain = (await createNamespace(sut.http())).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const { url, put } = entryRequests(
    () => sut,
    () => secret,
  );

  it('encrypts values at rest and reads them back', async () => {
    const marker = `secret-${randomUUID()}`;
    expect((await put('db/password', { value: marker, valueType: 'STRING' })).status).toBe(201);
    expect(bodyOf<EntryDto>(await sut.http().get(url('db/password'))).value).toBe(marker);
    const [row] = await dataSource.query(
      'SELECT value, value_ciphertext FROM entries WHERE namespace_id = $1',
      [secret],
    );
    expect(row.value).toBeNull();
    expect(Buffer.isBuffer(row.value_ciphertext)).toBe(true);
    expect(row.value_ciphertext.toString('latin1')).not.toContain(marker);
  });

  it('keeps no plaintext secret in a dump of the database, while a plain value is there', async () => {
    const secretMarker = `secret-${randomUUID()}`;
    const plainMarker = `plain-${randomUUID()}`;
    await put('api/key', { value: secretMarker, valueType: 'STRING' });
    await sut
      .http()
      .post(url('api/key/rotate'))
      .send({ value: `${secretMarker}-rotated` });
    await put('api/key', { value: plainMarker, valueType: 'STRING' }, { namespaceId: plain });
    const database = new URL(process.env.KV_E2E_DATABASE_URL!).pathname.slice(1);
    const dump = execFileSync(
      'pg_dump',
      ['-h', '127.0.0.1', '-U', 'postgres', '--data-only', database],
      { maxBuffer: 512 * 1024 * 1024 },
    ).toString('latin1');
    expect(dump).toContain(plainMarker);
    expect(dump).not.toContain(secretMarker);
  });

  it('lists without values unless includeValues=true, and then decrypts them', async () => {
    await put('a', { value: 'one', valueType: 'STRING' });
    await put('b', { value: { n: 2 }, valueType: 'JSON' });
    const bare = await sut.http().get(`${API}/${secret}/entries`);
    expect(bodyOf<EntryPageDto>(bare).items.map((e) => 'value' in e)).toEqual([false, false]);
    const full = await sut.http().get(`${API}/${secret}/entries`).query({ includeValues: true });
    expect(bodyOf<EntryPageDto>(full).items.map((e) => e.value)).toEqual(['one', { n: 2 }]);
  });

  it('keeps every change as a version: create, update, rotation, rollback', async () => {
    const alice = sut.http(await sut.tokens.mint({ sub: 'alice' }));
    const bob = sut.http(await sut.tokens.mint({ sub: 'bob' }));
    await put(
      'token',
      { value: 'v1', valueType: 'STRING', metadata: { owner: 'x' }, ttlSeconds: 3600 },
      { http: alice },
    );
    await put(
      'token',
      { value: 'v2', valueType: 'STRING', metadata: { owner: 'x' }, ttlSeconds: 3600 },
      { http: alice },
    );
    const rotated = await bob.post(url('token/rotate')).send({ value: 3, valueType: 'NUMBER' });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({
      version: 3,
      value: 3,
      valueType: 'NUMBER',
      metadata: { owner: 'x' },
    });
    expect(bodyOf<EntryDto>(rotated).expiresAt).not.toBeNull();
    const rolledBack = await bob.post(url('token/rollback')).send({ version: 1 });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ version: 4, value: 'v1', valueType: 'STRING' });
    expect((await sut.http().get(url('token'))).body).toMatchObject({ version: 4, value: 'v1' });

    const versions = await sut.http().get(url('token/versions'));
    expect(versions.status).toBe(200);
    expect(bodyOf<EntryVersionPageDto>(versions).nextCursor).toBeNull();
    expect(
      bodyOf<EntryVersionPageDto>(versions).items.map((v) => [
        v.version,
        v.changeReason,
        v.changedBy,
        v.valueType,
      ]),
    ).toEqual([
      [4, 'rollback', 'bob', 'STRING'],
      [3, 'rotation', 'bob', 'NUMBER'],
      [2, 'update', 'alice', 'STRING'],
      [1, 'create', 'alice', 'STRING'],
    ]);
    expect(JSON.stringify(versions.body)).not.toMatch(/"value"|v1|v2/);
    const page = await sut.http().get(url('token/versions')).query({ limit: 3 });
    expect(bodyOf<EntryVersionPageDto>(page).items).toHaveLength(3);
    const rest = await sut
      .http()
      .get(url('token/versions'))
      .query({ limit: 3, cursor: bodyOf<EntryVersionPageDto>(page).nextCursor });
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ version: 1 })],
      nextCursor: null,
    });
  });

  it('rotates and rolls back only at the expected version', async () => {
    await put('guarded', { value: 'v1', valueType: 'STRING' });
    expectProblem(
      await sut.http().post(url('guarded/rotate')).send({ value: 'v2', expectedVersion: 2 }),
      409,
      'VERSION_CONFLICT',
    );
    expectProblem(
      await sut.http().post(url('guarded/rotate')).set('if-match', '"5"').send({ value: 'v2' }),
      412,
      'PRECONDITION_FAILED',
    );
    expect(
      (await sut.http().post(url('guarded/rotate')).set('if-match', '"1"').send({ value: 'v2' }))
        .status,
    ).toBe(200);
    expectProblem(
      await sut.http().post(url('guarded/rollback')).send({ version: 1, expectedVersion: 1 }),
      409,
      'VERSION_CONFLICT',
    );
    expect(
      (await sut.http().post(url('guarded/rollback')).send({ version: 1, expectedVersion: 2 })).body
        .value,
    ).toBe('v1');
  });

  it('answers the contract errors', async () => {
    await put('exists', { value: 'v1', valueType: 'STRING' });
    await put('exists', { value: 'p', valueType: 'STRING' }, { namespaceId: plain });
    expectProblem(
      await sut.http().post(url('absent/rotate')).send({ value: 'x' }),
      404,
      'ENTRY_NOT_FOUND',
    );
    expectProblem(await sut.http().get(url('absent/versions')), 404, 'ENTRY_NOT_FOUND');
    expectProblem(
      await sut.http().post(url('absent/rollback')).send({ version: 1 }),
      404,
      'ENTRY_NOT_FOUND',
    );
    expectProblem(
      await sut.http().post(url('exists/rollback')).send({ version: 9 }),
      404,
      'VERSION_NOT_FOUND',
    );
    expectProblem(
      await sut.http().post(url('exists/rotate', plain)).send({ value: 'x' }),
      400,
      'NOT_A_SECRET_NAMESPACE',
    );
    // Plain namespaces keep versions too (see history.e2e-spec): an absent key is still 404.
    expectProblem(await sut.http().get(url('absent/versions', plain)), 404, 'ENTRY_NOT_FOUND');
    expectProblem(
      await sut.http().post(url('exists/rollback', plain)).send({ version: 1 }),
      400,
      'NOT_A_SECRET_NAMESPACE',
    );
    expectProblem(
      await sut.http().post(url('exists/rotate')).send({ value: 5 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await sut.http().post(url('exists/rotate')).send({}), 400, 'VALIDATION_FAILED');
    expectProblem(
      await sut.http().post(url('exists/rollback')).send({ version: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await sut.http().post(url('exists/rollback')).send({ version: 1, extra: true }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await sut.http().post(url('exists')).send({ value: 'x' }),
      404,
      'ROUTE_NOT_FOUND',
    );
    expect(
      bodyOf<NamespaceDto>(await sut.http().get(`${API}/namespaces/${secret}`)).isSecretNamespace,
    ).toBe(true);
    expectProblem(
      await sut.http().put(`${API}/namespaces/${secret}`).send({ isSecretNamespace: false }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('rejects a rotation nested 5000 levels deep with 400, not 500, on both routes', async () => {
    await put('exists', { value: 'v1', valueType: 'STRING' });
    const raw = `{"value":${'['.repeat(5000)}${']'.repeat(5000)},"valueType":"JSON"}`;
    for (const path of ['exists/rotate', 'nested/key/rotate']) {
      expectProblem(
        await sut.http().post(url(path)).set('content-type', 'application/json').send(raw),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect(bodyOf<EntryDto>(await sut.http().get(url('exists'))).version).toBe(1);
  });

  it('rotates to a value with keys named like members of Object, kept exactly', async () => {
    await put('members', { value: 'v1', valueType: 'STRING' });
    const value = { constructor: 'c', valueOf: 0, nested: { toString: 'x', prototype: null } };
    const rotated = await sut.http().post(url('members/rotate')).send({ value, valueType: 'JSON' });
    expect(rotated.status).toBe(200);
    expect(JSON.stringify(bodyOf<EntryDto>(await sut.http().get(url('members'))).value)).toBe(
      JSON.stringify(value),
    );
  });

  it('needs kv-secret:rotate for rotate and rollback, kv-entry:read for versions', async () => {
    await put('perm', { value: 'v1', valueType: 'STRING' });
    const writer = sut.http(
      await sut.tokens.only([KvPermission.EntryWrite, KvPermission.EntryRead]),
    );
    expectProblem(await writer.post(url('perm/rotate')).send({ value: 'v2' }), 403, 'FORBIDDEN');
    expectProblem(await writer.post(url('perm/rollback')).send({ version: 1 }), 403, 'FORBIDDEN');
    expect((await writer.get(url('perm/versions'))).status).toBe(200);
    const rotator = sut.http(await sut.tokens.only([KvPermission.SecretRotate]));
    expect((await rotator.post(url('perm/rotate')).send({ value: 'v2' })).status).toBe(200);
    expectProblem(await rotator.get(url('perm/versions')), 403, 'FORBIDDEN');
  });

  it('refuses a ciphertext moved to another entry, clearly and audited', async () => {
    const sub = `mover-${randomUUID()}`;
    await put('source', { value: 'the real secret', valueType: 'STRING' });
    await put('target', { value: 'another secret', valueType: 'STRING' });
    await dataSource.query(
      `UPDATE entries SET value_ciphertext = (SELECT value_ciphertext FROM entries WHERE namespace_id = $1 AND key_path = 'source')
       WHERE namespace_id = $1 AND key_path = 'target'`,
      [secret],
    );
    const res = await sut.http(await sut.tokens.mint({ sub })).get(url('target'));
    expectProblem(res, 500, 'INTEGRITY_ERROR');
    expect(bodyOf<ProblemDto>(res).detail).toContain('target');
    expect(JSON.stringify(res.body)).not.toContain('the real secret');
    const rows = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub }),
    ).items;
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'READ',
        keyPath: 'target',
        success: false,
        statusCode: 500,
      }),
    ]);
  });

  it('audits rotate and rollback with their actions', async () => {
    const sub = `rotator-${randomUUID()}`;
    const http = sut.http(await sut.tokens.mint({ sub }));
    await put('audited', { value: 'v1', valueType: 'STRING' }, { http });
    await http.post(url('audited/rotate')).send({ value: 'v2' });
    await http.post(url('audited/rollback')).send({ version: 1 });
    await http.get(url('audited/versions'));
    const rows = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub }),
    ).items.reverse();
    expect(rows.map((r) => [r.action, r.keyPath, r.statusCode])).toEqual([
      ['WRITE', 'audited', 201],
      ['ROTATE', 'audited', 200],
      ['ROLLBACK', 'audited', 200],
      ['READ', 'audited', 200],
    ]);
  });

  it('answers rotate and rollback without the value unless the token may also read it', async () => {
    await put('api/key', { value: 'first-secret', valueType: 'STRING' });
    await put('api/key', { value: 'second-secret', valueType: 'STRING' });
    const rotateOnly = sut.http(await sut.tokens.only([KvPermission.SecretRotate]));

    const rollback = await rotateOnly.post(url('api/key/rollback')).send({ version: 1 });
    const rotate = await rotateOnly.post(url('api/key/rotate')).send({ value: 'third-secret' });

    for (const [res, version] of [
      [rollback, 3],
      [rotate, 4],
    ] as const) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ keyPath: 'api/key', version, valueType: 'STRING' });
      expect(res.body).not.toHaveProperty('value');
      expect(res.text).not.toMatch(/first-secret|second-secret|third-secret/);
    }
    expectProblem(await rotateOnly.get(url('api/key')), 403, 'FORBIDDEN');

    const both = sut.http(
      await sut.tokens.only([KvPermission.SecretRotate, KvPermission.EntryRead]),
    );
    const shown = await both.post(url('api/key/rollback')).send({ version: 1 });
    expect(shown.body).toMatchObject({ value: 'first-secret', version: 5 });
  });

  it('fails closed on a value of a secret namespace that is stored unsealed, without showing it', async () => {
    await put('planted/key', { value: 'sealed-original', valueType: 'STRING' });
    // A row as an intruder with SQL access would plant it: plaintext, no ciphertext.
    await dataSource.query(
      `UPDATE entries SET value = '"planted-plaintext"', value_ciphertext = NULL
       WHERE namespace_id = $1 AND key_path = 'planted/key'`,
      [secret],
    );

    const reads = [
      await sut.http().get(url('planted/key')),
      await sut.http().get(`${API}/${secret}/entries?includeValues=true`),
      await sut
        .http()
        .post(`${API}/${secret}/bulk/get`)
        .send({ keys: ['planted/key'] }),
    ];
    for (const res of reads) {
      expectProblem(res, 500, 'INTEGRITY_ERROR');
      expect(res.text).not.toContain('planted-plaintext');
    }
    const keysOnly = await sut.http().get(`${API}/${secret}/entries`);
    expect(keysOnly.status).toBe(200);
  });

  it('keeps the newest maxVersions versions of each key, never the current one less', async () => {
    const created = await createNamespace(sut.http(), { isSecretNamespace: true, maxVersions: 3 });
    expect(created.maxVersions).toBe(3);
    const ns = created.id;
    const versionsOf = async (key: string) =>
      bodyOf<EntryVersionPageDto>(await sut.http().get(url(`${key}/versions`, ns))).items.map(
        (v) => v.version,
      );

    await put('k', { value: 'v1', valueType: 'STRING' }, { namespaceId: ns });
    for (let i = 2; i <= 5; i += 1) {
      await sut
        .http()
        .post(url('k/rotate', ns))
        .send({ value: `v${i}` });
    }
    expect(await versionsOf('k')).toEqual([5, 4, 3]);
    expectProblem(
      await sut.http().post(url('k/rollback', ns)).send({ version: 1 }),
      404,
      'VERSION_NOT_FOUND',
    );
    const back = await sut.http().post(url('k/rollback', ns)).send({ version: 3 });
    expect(back.body).toMatchObject({ value: 'v3', version: 6 });
    expect(await versionsOf('k')).toEqual([6, 5, 4]);

    // Bulk writes prune the same way; lowering the bound takes effect on the next write.
    for (let i = 1; i <= 4; i += 1) {
      const res = await sut
        .http()
        .post(`${API}/${ns}/bulk/set`)
        .send({ entries: [{ key: 'b', value: `b${i}`, valueType: 'STRING' }] });
      expect(res.status).toBe(200);
    }
    expect(await versionsOf('b')).toEqual([4, 3, 2]);
    expect(
      bodyOf<NamespaceDto>(await sut.http().put(`${API}/namespaces/${ns}`).send({ maxVersions: 1 }))
        .maxVersions,
    ).toBe(1);
    await put('k', { value: 'v7', valueType: 'STRING' }, { namespaceId: ns });
    expect(await versionsOf('k')).toEqual([7]);
    expect((await sut.http().get(url('k', ns))).body).toMatchObject({ value: 'v7', version: 7 });

    expectProblem(
      await sut.http().put(`${API}/namespaces/${ns}`).send({ maxVersions: 0 }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('reports unsealed secret namespaces in readiness', async () => {
    const ready = await request(sut.target).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.crypto).toEqual({ status: 'up' });
  });
});
