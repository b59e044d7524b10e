import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { NamespaceDto, NamespacePageDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { DatabaseStatements } from '../utils/database-statements';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace, uniqueApplicationId } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const API = '/api/v1/kv';
const BASE = `${API}/namespaces`;
const ALL_NAMESPACE = [
  KvPermission.NamespaceRead,
  KvPermission.NamespaceWrite,
  KvPermission.NamespaceDelete,
];

describe('tenancy', () => {
  let sut: TestApp;
  let appA: string;
  let appB: string;
  let mine: NamespaceDto;
  let theirs: NamespaceDto;
  let callerOfA: request.Agent;

  beforeAll(async () => {
    sut = await createTestApp();
    appA = uniqueApplicationId();
    appB = uniqueApplicationId();
    mine = await createNamespace(sut.http(), { name: 'mine', applicationId: appA });
    theirs = await createNamespace(sut.http(), { name: 'theirs', applicationId: appB });
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
    expect(bodyOf<ProblemDto>(foreign).code).toBe('NAMESPACE_NOT_FOUND');
    expect(shape(foreign, theirs.id)).toEqual(shape(absent, missing));
  });

  it('leaves the other application untouched', async () => {
    const res = await sut.http().get(`${BASE}/${theirs.id}`);
    expect(res.status).toBe(200);
    expect(bodyOf<NamespaceDto>(res).description).toBeNull();
  });

  it("lists only the caller's applications", async () => {
    const all = await callerOfA.get(BASE).query({ limit: 1000 });
    expect(all.status).toBe(200);
    expect(bodyOf<NamespacePageDto>(all).items.every((n) => n.applicationId === appA)).toBe(true);
    expect(bodyOf<NamespacePageDto>(all).items.map((n) => n.id)).toContain(mine.id);
    const filtered = await callerOfA.get(BASE).query({ applicationId: appB });
    expect(filtered.status).toBe(200);
    expect(filtered.body).toEqual({ items: [], nextCursor: null });
  });

  it('forbids creating a namespace for an application outside the token', async () => {
    const res = await callerOfA.post(BASE).send({ name: 'intruder', applicationId: appB });
    expect(res.status).toBe(403);
    expect(bodyOf<ProblemDto>(res).code).toBe('FORBIDDEN');
    const list = await sut.http().get(BASE).query({ applicationId: appB });
    expect(bodyOf<NamespacePageDto>(list).items.map((n) => n.name)).toEqual(['theirs']);
  });

  it('lets a token of several applications see each of them, and "*" all', async () => {
    const both = sut.http(await sut.tokens.only([KvPermission.NamespaceRead], [appA, appB]));
    expect((await both.get(`${BASE}/${theirs.id}`)).status).toBe(200);
    expect((await both.get(`${BASE}/${mine.id}`)).status).toBe(200);
    const none = sut.http(await sut.tokens.only([KvPermission.NamespaceRead], []));
    expect((await none.get(`${BASE}/${mine.id}`)).status).toBe(404);
    expect(bodyOf<NamespacePageDto>(await none.get(BASE)).items).toEqual([]);
  });

  describe("another application's namespace costs what a missing one does", () => {
    let statements: DatabaseStatements;
    let foreignId: string;
    let callerOfOther: request.Agent;

    beforeAll(async () => {
      statements = new DatabaseStatements(sut.app!.get(DataSource));
      foreignId = (await createNamespace(sut.http())).id;
      await sut
        .http()
        .put(`${API}/${foreignId}/entries/k`)
        .send({ value: 1, valueType: 'NUMBER' })
        .expect(201);
      callerOfOther = sut.http(
        await sut.tokens.only(
          [KvPermission.EntryRead, KvPermission.NamespaceRead],
          [uniqueApplicationId()],
        ),
      );
    });

    afterAll(() => {
      statements?.stop();
    });

    // Counted, not timed: the same statements for both, none answered from the read cache,
    // while the namespace's own application is answered from it.
    it.each([
      ['an entry', (id: string) => `${API}/${id}/entries/k`],
      ['a list of entries', (id: string) => `${API}/${id}/entries?includeValues=true`],
    ])('reads %s with the same database round trips', async (_case, path) => {
      const missingId = randomUUID();
      const owner = () => sut.http().get(path(foreignId)).expect(200);
      let foreign: request.Response | undefined;
      let missing: request.Response | undefined;
      let ofForeign: string[] = [];
      let ofMissing: string[] = [];
      // A round counts once the owner's reads, before and after, came from the cache: the
      // caller of the other application had it to use. (The first reads fill it; a change
      // feed that falls behind on a busy machine empties it, so a round may need repeating.)
      await expectEventually(async () => {
        expect(await statements.naming(foreignId, owner)).toEqual([]);
        ofForeign = await statements.naming(foreignId, async () => {
          foreign = await callerOfOther.get(path(foreignId));
        });
        ofMissing = await statements.naming(missingId, async () => {
          missing = await callerOfOther.get(path(missingId));
        });
        expect(await statements.naming(foreignId, owner)).toEqual([]);
      });

      expectProblem(foreign!, 404, 'NAMESPACE_NOT_FOUND');
      expect(shape(foreign!, foreignId)).toEqual(shape(missing!, missingId));
      expect(ofForeign.length).toBeGreaterThan(0);
      expect(ofForeign).toEqual(ofMissing);
    });
  });
});
