import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { NamespaceDto, NamespacePageDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace, namespaceBody, uniqueApplicationId } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const BASE = '/api/v1/kv/namespaces';

describe('namespaces', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  const http = () => sut.http();
  const create = (body: Record<string, unknown>) => http().post(BASE).send(body);

  describe('create', () => {
    it('creates a namespace with the documented defaults', async () => {
      const body = namespaceBody();
      const res = await create(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: body.name,
        applicationId: body.applicationId,
        description: null,
        isSecretNamespace: false,
        defaultTtlSeconds: null,
        maxVersions: null,
        historyRetentionDays: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const { createdAt } = bodyOf<NamespaceDto>(res);
      expect(new Date(createdAt).toISOString()).toBe(createdAt);
    });

    it('keeps every field it is given', async () => {
      const body = namespaceBody({
        description: 'Production ✓ secrets',
        isSecretNamespace: true,
        defaultTtlSeconds: 3600,
      });
      const res = await create(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        description: 'Production ✓ secrets',
        isSecretNamespace: true,
        defaultTtlSeconds: 3600,
      });
      const read = await http().get(`${BASE}/${bodyOf<NamespaceDto>(res).id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it.each([
      ['a missing name', { name: undefined }, 'name'],
      ['a name starting with a dash', { name: '-abc' }, 'name'],
      ['a name of 129 characters', { name: 'a'.repeat(129) }, 'name'],
      ['a name with a slash', { name: 'a/b' }, 'name'],
      ['a numeric name', { name: 42 }, 'name'],
      ['a missing applicationId', { applicationId: undefined }, 'applicationId'],
      ['applicationId "*"', { applicationId: '*' }, 'applicationId'],
      ['a string isSecretNamespace', { isSecretNamespace: 'true' }, 'isSecretNamespace'],
      ['a zero defaultTtlSeconds', { defaultTtlSeconds: 0 }, 'defaultTtlSeconds'],
      ['a fractional defaultTtlSeconds', { defaultTtlSeconds: 1.5 }, 'defaultTtlSeconds'],
      ['a string defaultTtlSeconds', { defaultTtlSeconds: '60' }, 'defaultTtlSeconds'],
      ['a huge defaultTtlSeconds', { defaultTtlSeconds: 1e20 }, 'defaultTtlSeconds'],
      ['a description of 1025 characters', { description: 'd'.repeat(1025) }, 'description'],
      ['a description with NUL', { description: 'a\u0000b' }, 'description'],
      ['a description with a lone surrogate', { description: 'a\ud800b' }, 'description'],
      ['an unknown field', { colour: 'blue' }, 'colour'],
    ])('rejects %s with 400 naming the field', async (_case, overrides, field) => {
      const res = await create(namespaceBody(overrides));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it.each([
      ['malformed JSON', '{"name": "a", "applicationId": "secret-marker-1'],
      ['a JSON array', '[]'],
      ['a JSON number', '42'],
      ['null', 'null'],
      ['an empty body', ''],
    ])('rejects %s with 400 and does not echo it', async (_case, raw) => {
      const res = await http().post(BASE).set('content-type', 'application/json').send(raw);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('secret-marker-1');
    });

    it('answers a body that is not JSON with 415', async () => {
      const res = await http().post(BASE).set('content-type', 'text/plain').send('name=a');
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('rejects a description nested 5000 levels deep with 400, not 500', async () => {
      const raw = `{"name":"deep","applicationId":"app","description":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const res = await http().post(BASE).set('content-type', 'application/json').send(raw);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('refuses a second namespace of the same name in one application with 409', async () => {
      const body = namespaceBody();
      expect((await create(body)).status).toBe(201);
      expectProblem(await create(body), 409, 'NAMESPACE_NAME_TAKEN');
    });

    it('allows the same name in another application', async () => {
      const body = namespaceBody();
      expect((await create(body)).status).toBe(201);
      expect((await create({ ...body, applicationId: uniqueApplicationId() })).status).toBe(201);
    });

    it('lets exactly one of concurrent creates of one name win', async () => {
      const body = namespaceBody();
      const results = await Promise.all(Array.from({ length: 8 }, () => create(body)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    });
  });

  describe('get', () => {
    it('answers an unknown id with 404 NAMESPACE_NOT_FOUND', async () => {
      expectProblem(await http().get(`${BASE}/${randomUUID()}`), 404, 'NAMESPACE_NOT_FOUND');
    });

    it('answers an id that is not a uuid with 400', async () => {
      const res = await http().get(`${BASE}/not-a-uuid`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });

  describe('list', () => {
    it('lists an application in byte order of name', async () => {
      const applicationId = uniqueApplicationId();
      for (const name of ['beta', 'Zulu', 'alpha', 'Alpha', '9lives', 'a_b', 'a-b', 'a.b']) {
        expect((await create({ name, applicationId })).status).toBe(201);
      }
      const res = await http().get(BASE).query({ applicationId });
      expect(res.status).toBe(200);
      expect(bodyOf<NamespacePageDto>(res).nextCursor).toBeNull();
      expect(bodyOf<NamespacePageDto>(res).items.map((n) => n.name)).toEqual([
        '9lives',
        'Alpha',
        'Zulu',
        'a-b',
        'a.b',
        'a_b',
        'alpha',
        'beta',
      ]);
    });

    it('walks every page once, with no duplicates or gaps', async () => {
      const applicationId = uniqueApplicationId();
      const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
      await Promise.all(names.map((name) => create({ name, applicationId })));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await http()
          .get(BASE)
          .query({ applicationId, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        const page = bodyOf<NamespacePageDto>(res);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((n) => n.name));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual(names);
      expect(pages).toBe(3);
    });

    it('ends with a null cursor when the last page is exactly full', async () => {
      const applicationId = uniqueApplicationId();
      await Promise.all(['a', 'b'].map((name) => create({ name, applicationId })));
      const res = await http().get(BASE).query({ applicationId, limit: 2 });
      expect(bodyOf<NamespacePageDto>(res).items).toHaveLength(2);
      expect(bodyOf<NamespacePageDto>(res).nextCursor).toBeNull();
    });

    it.each([
      ['limit=0', { limit: 0 }, 'limit'],
      ['limit=1001', { limit: 1001 }, 'limit'],
      ['limit=abc', { limit: 'abc' }, 'limit'],
      ['limit=1.5', { limit: 1.5 }, 'limit'],
      ['a forged cursor', { cursor: Buffer.from('["x"]').toString('base64url') }, 'cursor'],
      ['a cursor that is not base64url', { cursor: '!!' }, 'cursor'],
      [
        'a cursor with a bad id',
        { cursor: Buffer.from('["x","y"]').toString('base64url') },
        'cursor',
      ],
      ['a bad applicationId', { applicationId: 'a b' }, 'applicationId'],
      ['an unknown parameter', { colour: 'blue' }, 'colour'],
    ])('rejects %s with 400', async (_case, query, field) => {
      const res = await http().get(BASE).query(query);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });
  });

  describe('update', () => {
    it('updates name, description and defaultTtlSeconds, leaving absent fields alone', async () => {
      const created = await createNamespace(http(), { description: 'old', defaultTtlSeconds: 60 });
      const renamed = await http().put(`${BASE}/${created.id}`).send({ name: 'renamed' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        name: 'renamed',
        description: 'old',
        defaultTtlSeconds: 60,
      });
      const cleared = await http()
        .put(`${BASE}/${created.id}`)
        .send({ description: null, defaultTtlSeconds: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        name: 'renamed',
        description: null,
        defaultTtlSeconds: null,
      });
      expect(bodyOf<NamespaceDto>(cleared).createdAt).toBe(created.createdAt);
      expect(new Date(bodyOf<NamespaceDto>(cleared).updatedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(created.updatedAt).getTime(),
      );
    });

    it('accepts applicationId and isSecretNamespace when they repeat the current values', async () => {
      const created = await createNamespace(http());
      const res = await http()
        .put(`${BASE}/${created.id}`)
        .send({ applicationId: created.applicationId, isSecretNamespace: false });
      expect(res.status).toBe(200);
    });

    it.each([
      ['a different applicationId', { applicationId: 'other-app' }, 'applicationId'],
      ['a different isSecretNamespace', { isSecretNamespace: true }, 'isSecretNamespace'],
      ['a null name', { name: null }, 'name'],
      ['a null isSecretNamespace', { isSecretNamespace: null }, 'isSecretNamespace'],
      ['a bad name', { name: '..' }, 'name'],
      ['an unknown field', { createdAt: '2020-01-01T00:00:00Z' }, 'createdAt'],
    ])('rejects %s with 400 and changes nothing', async (_case, body, field) => {
      const created = await createNamespace(http());
      const res = await http().put(`${BASE}/${created.id}`).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect((await http().get(`${BASE}/${created.id}`)).body).toEqual(created);
    });

    it('refuses a rename onto a taken name with 409', async () => {
      const applicationId = uniqueApplicationId();
      await create({ name: 'taken', applicationId });
      const other = bodyOf<NamespaceDto>(await create({ name: 'free', applicationId }));
      expectProblem(
        await http().put(`${BASE}/${other.id}`).send({ name: 'taken' }),
        409,
        'NAMESPACE_NAME_TAKEN',
      );
    });

    it('answers an unknown id with 404', async () => {
      expectProblem(
        await http().put(`${BASE}/${randomUUID()}`).send({ name: 'x' }),
        404,
        'NAMESPACE_NOT_FOUND',
      );
    });
  });

  describe('delete', () => {
    it('deletes with 204, after which the namespace is gone', async () => {
      const created = await createNamespace(http());
      const res = await http().delete(`${BASE}/${created.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await http().get(`${BASE}/${created.id}`), 404, 'NAMESPACE_NOT_FOUND');
      expectProblem(await http().delete(`${BASE}/${created.id}`), 404, 'NAMESPACE_NOT_FOUND');
    });

    it('frees the name for a new namespace', async () => {
      const body = namespaceBody();
      const created = bodyOf<NamespaceDto>(await create(body));
      await http().delete(`${BASE}/${created.id}`);
      expect((await create(body)).status).toBe(201);
    });
  });
});
