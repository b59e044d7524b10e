import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, NamespaceDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace, namespaceBody, uniqueApplicationId } from '../utils/factories';

const API = '/api/v1/kv';

type AuditRow = AuditPageDto['items'][number];

describe('audit', () => {
  let sut: TestApp;
  let auditor: request.Agent;

  beforeAll(async () => {
    sut = await createTestApp();
    auditor = sut.http(await sut.tokens.only([KvPermission.AuditRead], ['*'], 'auditor'));
  });

  afterAll(async () => {
    await sut.close();
  });

  /** A caller with a sub of its own, so its audit rows are exactly the ones it caused. */
  async function caller(
    permissions: KvPermission[] = [
      KvPermission.NamespaceRead,
      KvPermission.NamespaceWrite,
      KvPermission.NamespaceDelete,
    ],
  ) {
    const sub = `user-${randomUUID()}`;
    return { sub, http: sut.http(await sut.tokens.only(permissions, ['*'], sub)) };
  }

  async function rowsOf(query: Record<string, string | number | boolean>): Promise<AuditRow[]> {
    const res = await auditor.get(`${API}/audit`).query({ limit: 1000, ...query });
    expect(res.status).toBe(200);
    return bodyOf<AuditPageDto>(res).items;
  }

  it('records a successful change with who, what, where and the request id', async () => {
    const { sub, http } = await caller();
    const body = namespaceBody();
    const res = await http.post(`${API}/namespaces`).set('x-request-id', `req-${sub}`).send(body);
    expect(res.status).toBe(201);
    expect(await rowsOf({ userId: sub })).toEqual([
      {
        id: expect.any(String),
        applicationId: body.applicationId,
        namespaceId: bodyOf<NamespaceDto>(res).id,
        entryId: null,
        keyPath: null,
        action: 'NAMESPACE_CREATE',
        userId: sub,
        success: true,
        statusCode: 201,
        requestId: `req-${sub}`,
        timestamp: expect.any(String),
      },
    ]);
  });

  it('records reads and lists', async () => {
    const { sub, http } = await caller();
    const created = await createNamespace(sut.http());
    expect((await http.get(`${API}/namespaces/${created.id}`)).status).toBe(200);
    expect((await http.get(`${API}/namespaces`)).status).toBe(200);
    const rows = await rowsOf({ userId: sub });
    expect(rows.map((r) => [r.action, r.statusCode, r.namespaceId])).toEqual([
      ['LIST', 200, null],
      ['READ', 200, created.id],
    ]);
  });

  it.each([
    [
      '400',
      async (http: request.Agent) => http.post(`${API}/namespaces`).send({ name: '' }),
      'NAMESPACE_CREATE',
      400,
    ],
    [
      '404',
      async (http: request.Agent) => http.get(`${API}/namespaces/${randomUUID()}`),
      'READ',
      404,
    ],
    [
      '409',
      async (http: request.Agent) => {
        const body = namespaceBody();
        await sut.http().post(`${API}/namespaces`).send(body);
        return http.post(`${API}/namespaces`).send(body);
      },
      'NAMESPACE_CREATE',
      409,
    ],
  ])('records a %s failure once, with the caller', async (_case, send, action, status) => {
    const { sub, http } = await caller();
    expect((await send(http)).status).toBe(status);
    expect((await rowsOf({ userId: sub })).map((r) => [r.action, r.success, r.statusCode])).toEqual(
      [[action, false, status]],
    );
  });

  it('records a 403 with the caller and a 401 with no user and the namespace of the URL', async () => {
    const created = await createNamespace(sut.http());
    const { sub, http } = await caller([KvPermission.AuditRead]);
    expect((await http.delete(`${API}/namespaces/${created.id}`)).status).toBe(403);
    expect(
      (await rowsOf({ userId: sub })).map((r) => [
        r.action,
        r.success,
        r.statusCode,
        r.namespaceId,
      ]),
    ).toEqual([['NAMESPACE_DELETE', false, 403, created.id]]);
    const anonymous = await request(sut.target).get(`${API}/namespaces/${created.id}`);
    expect(anonymous.status).toBe(401);
    const rows = await rowsOf({ namespaceId: created.id, success: false, action: 'READ' });
    expect(rows).toEqual([
      expect.objectContaining({
        userId: null,
        statusCode: 401,
        requestId: anonymous.headers['x-request-id'],
      }),
    ]);
  });

  it('records its own searches, refused ones included', async () => {
    const { sub, http } = await caller([KvPermission.AuditRead]);
    expect((await http.get(`${API}/audit`).query({ action: 'WRITE' })).status).toBe(200);
    const { http: refused, sub: refusedSub } = await caller([KvPermission.NamespaceRead]);
    expect((await refused.get(`${API}/audit`)).status).toBe(403);

    const rows = await rowsOf({ action: 'AUDIT_READ' });
    expect(rows.filter((row) => row.userId === sub)).toEqual([
      expect.objectContaining({ action: 'AUDIT_READ', success: true, statusCode: 200 }),
    ]);
    expect(rows.filter((row) => row.userId === refusedSub)).toEqual([
      expect.objectContaining({ action: 'AUDIT_READ', success: false, statusCode: 403 }),
    ]);
  });

  it('stores at most 512 characters of a key path it could not accept', async () => {
    const created = await createNamespace(sut.http());
    const { sub, http } = await caller([KvPermission.EntryRead]);
    const long = 'k'.repeat(2048);
    expect((await http.get(`${API}/${created.id}/entries/${long}`)).status).toBe(400);
    expect((await request(sut.target).get(`${API}/${created.id}/entries/${long}`)).status).toBe(
      401,
    );
    const rows = await rowsOf({ namespaceId: created.id, success: false });
    expect(rows.map((row) => [row.userId, row.keyPath])).toEqual([
      [null, `${'k'.repeat(511)}…`],
      [sub, `${'k'.repeat(511)}…`],
    ]);
  });

  it('keeps the rows of a deleted namespace', async () => {
    const { http } = await caller();
    const created = await createNamespace(http);
    await http.get(`${API}/namespaces/${created.id}`);
    expect((await http.delete(`${API}/namespaces/${created.id}`)).status).toBe(204);
    const rows = await rowsOf({ namespaceId: created.id });
    expect(rows.map((r) => r.action)).toEqual(['NAMESPACE_DELETE', 'READ', 'NAMESPACE_CREATE']);
  });

  it('gives each of many concurrent reads its own durable row', async () => {
    const { sub, http } = await caller();
    const created = await createNamespace(sut.http());
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => http.get(`${API}/namespaces/${created.id}`)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const rows = await rowsOf({ userId: sub });
    expect(new Set(rows.map((r) => r.requestId))).toEqual(
      new Set(responses.map((r) => r.headers['x-request-id'])),
    );
    expect(rows).toHaveLength(40);
  });

  it('fails only the request whose record PostgreSQL would refuse, not the reads committed with it', async () => {
    const created = await createNamespace(sut.http());
    const good = await caller();
    // A NUL cannot be stored in a PostgreSQL text column. Such a sub is refused with the token
    // now (401, a row without it); the flush isolating a bad record stays as a second line
    // (see group-commit.spec.ts).
    const bad = sut.http(
      await sut.tokens.only([KvPermission.NamespaceRead], ['*'], `bad\u0000${randomUUID()}`),
    );
    const read = (http: request.Agent) => http.get(`${API}/namespaces/${created.id}`);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? read(bad) : read(good.http))),
    );
    const statuses = responses.map((res, i) => [i % 6 === 0 ? 'bad' : 'good', res.status]);
    expect(statuses.filter(([who]) => who === 'good')).toEqual(
      Array.from({ length: 50 }, () => ['good', 200]),
    );
    expect(statuses.filter(([who]) => who === 'bad')).toEqual(
      Array.from({ length: 10 }, () => ['bad', 401]),
    );
    expect(await rowsOf({ userId: good.sub })).toHaveLength(50);
    // The record's fault, not the database's: the replica stays ready.
    expect((await request(sut.target).get('/health/ready')).status).toBe(200);
  });

  it("pages newest first, filters by success and time, and shows only the caller's applications", async () => {
    const appA = uniqueApplicationId();
    const { sub, http } = await caller();
    const before = new Date().toISOString();
    for (let i = 0; i < 5; i += 1) {
      await http.post(`${API}/namespaces`).send({ name: `audited-${i}`, applicationId: appA });
    }
    await http.post(`${API}/namespaces`).send({ name: 'audited-0', applicationId: appA });
    const seen: AuditRow[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await auditor
        .get(`${API}/audit`)
        .query({ userId: sub, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...bodyOf<AuditPageDto>(res).items);
      cursor = bodyOf<AuditPageDto>(res).nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    const times = seen.map((r) => r.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen[0]).toMatchObject({ success: false, statusCode: 409 });
    expect(await rowsOf({ userId: sub, success: false })).toHaveLength(1);
    expect(await rowsOf({ userId: sub, success: true, from: before })).toHaveLength(5);
    expect(await rowsOf({ userId: sub, to: before })).toHaveLength(0);

    const outsider = sut.http(
      await sut.tokens.only([KvPermission.AuditRead], [uniqueApplicationId()]),
    );
    expect(
      bodyOf<AuditPageDto>(await outsider.get(`${API}/audit`).query({ userId: sub })).items,
    ).toEqual([]);
    const owner = sut.http(await sut.tokens.only([KvPermission.AuditRead], [appA]));
    expect(
      bodyOf<AuditPageDto>(await owner.get(`${API}/audit`).query({ userId: sub })).items,
    ).toHaveLength(6);
  });

  it.each([
    ['success=maybe', { success: 'maybe' }, 'success'],
    ['from=yesterday', { from: 'yesterday' }, 'from'],
    ['a bad namespaceId', { namespaceId: 'nope' }, 'namespaceId'],
    ['an unknown action', { action: 'PEEK' }, 'action'],
    ['a forged cursor', { cursor: Buffer.from('["x","y"]').toString('base64url') }, 'cursor'],
  ])('rejects %s with 400', async (_case, query, field) => {
    const res = await auditor.get(`${API}/audit`).query(query);
    expect(res.status).toBe(400);
    expect(bodyOf<ProblemDto>(res).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it('never stores a token or submitted text in an audit row', async () => {
    const marker = `marker-${randomUUID()}`;
    const token = await sut.tokens.only([KvPermission.NamespaceWrite], ['*'], 'marker-user');
    await sut
      .http(token)
      .post(`${API}/namespaces`)
      .send(namespaceBody({ description: marker }));
    await sut
      .http(token)
      .post(`${API}/namespaces`)
      .send(namespaceBody({ description: marker, colour: marker }));
    const dataSource = sut.app!.get(DataSource);
    const rows: { row: string }[] = await dataSource.query(
      `SELECT row_to_json(a)::text AS row FROM audit_log a WHERE user_id = 'marker-user'`,
    );
    expect(rows).toHaveLength(2);
    for (const { row } of rows) {
      expect(row).not.toContain(marker);
      expect(row).not.toContain(token.split('.')[2]);
    }
  });
});
