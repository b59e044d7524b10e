import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { uniqueApplicationId } from '../utils/factories';

const BASE = '/api/v1/kv/namespaces';
const ALL_NAMESPACE = [
  KvPermission.NamespaceRead,
  KvPermission.NamespaceWrite,
  KvPermission.NamespaceDelete,
];

describe('tenancy', () => {
  let sut: TestApp;
  let appA: string;
  let appB: string;
  let mine: { id: string; name: string };
  let theirs: { id: string; name: string };
  let callerOfA: request.Agent;

  beforeAll(async () => {
    sut = await createTestApp();
    appA = uniqueApplicationId();
    appB = uniqueApplicationId();
    mine = (await sut.http().post(BASE).send({ name: 'mine', applicationId: appA })).body;
    theirs = (await sut.http().post(BASE).send({ name: 'theirs', applicationId: appB })).body;
    callerOfA = sut.http(await sut.tokens.only(ALL_NAMESPACE, [appA]));
  });

  afterAll(async () => {
    await sut.close();
  });

  /** The response with the namespace id taken out, which is all that may differ. */
  function shape(res: request.Response, id: string): unknown {
    return {
      status: res.status,
      headers: res.headers['content-type'],
      body: JSON.parse(JSON.stringify(res.body).split(id).join('<id>')),
    };
  }

  it.each([
    ['get', (http: request.Agent, id: string) => http.get(`${BASE}/${id}`)],
    [
      'update',
      (http: request.Agent, id: string) =>
        http.put(`${BASE}/${id}`).send({ description: 'taken over' }),
    ],
    ['delete', (http: request.Agent, id: string) => http.delete(`${BASE}/${id}`)],
  ])('answers %s of another application exactly like a missing namespace', async (_case, send) => {
    const missing = randomUUID();
    const foreign = await send(callerOfA, theirs.id);
    const absent = await send(callerOfA, missing);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NAMESPACE_NOT_FOUND');
    expect(shape(foreign, theirs.id)).toEqual(shape(absent, missing));
  });

  it('leaves the other application untouched', async () => {
    const res = await sut.http().get(`${BASE}/${theirs.id}`);
    expect(res.status).toBe(200);
    expect(res.body.description).toBeNull();
  });

  it("lists only the caller's applications", async () => {
    const all = await callerOfA.get(BASE).query({ limit: 1000 });
    expect(all.status).toBe(200);
    expect(all.body.items.every((n: { applicationId: string }) => n.applicationId === appA)).toBe(
      true,
    );
    expect(all.body.items.map((n: { id: string }) => n.id)).toContain(mine.id);
    const filtered = await callerOfA.get(BASE).query({ applicationId: appB });
    expect(filtered.status).toBe(200);
    expect(filtered.body).toEqual({ items: [], nextCursor: null });
  });

  it('forbids creating a namespace for an application outside the token', async () => {
    const res = await callerOfA.post(BASE).send({ name: 'intruder', applicationId: appB });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const list = await sut.http().get(BASE).query({ applicationId: appB });
    expect(list.body.items.map((n: { name: string }) => n.name)).toEqual(['theirs']);
  });

  it('lets a token of several applications see each of them, and "*" all', async () => {
    const both = sut.http(await sut.tokens.only([KvPermission.NamespaceRead], [appA, appB]));
    expect((await both.get(`${BASE}/${theirs.id}`)).status).toBe(200);
    expect((await both.get(`${BASE}/${mine.id}`)).status).toBe(200);
    const none = sut.http(await sut.tokens.only([KvPermission.NamespaceRead], []));
    expect((await none.get(`${BASE}/${mine.id}`)).status).toBe(404);
    expect((await none.get(BASE)).body.items).toEqual([]);
  });
});
