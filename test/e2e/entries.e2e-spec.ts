import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { keyPathProblem } from '../../src/common/validation/key-path';
import { READ_PAGE } from '../../src/entries/store/entry.sql';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, EntryDto, EntryPageDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

describe('entries', () => {
  let sut: TestApp;
  let ns: string;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  beforeEach(async () => {
    ns = (await createNamespace(sut.http())).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const { url, put, get } = entryRequests(
    () => sut,
    () => ns,
  );

  describe('set and get', () => {
    it('creates with 201, replaces with 200, and counts versions', async () => {
      const created = await put('config/database/host', {
        value: 'localhost',
        valueType: 'STRING',
        metadata: { owner: 'team-a' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.any(String),
        keyPath: 'config/database/host',
        value: 'localhost',
        valueType: 'STRING',
        version: 1,
        expiresAt: null,
        metadata: { owner: 'team-a' },
        createRevision: 1,
        modRevision: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(created.headers['x-kv-revision']).toBe('1');
      const updated = await put('config/database/host', {
        value: 'db.internal',
        valueType: 'STRING',
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        id: bodyOf<EntryDto>(created).id,
        version: 2,
        value: 'db.internal',
        metadata: null,
        createRevision: 1,
        modRevision: 2,
      });
      expect(updated.headers['x-kv-revision']).toBe('2');
      const read = await get('config/database/host');
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"2"');
      expect(read.headers['x-kv-revision']).toBe('2');
      expect(read.body).toEqual(updated.body);
    });

    it.each([
      ['STRING', 'postgresql://user:pass@host:5432/db ✓ 🔑 \u0000 \ud800'],
      ['STRING', ''],
      ['NUMBER', 3306],
      ['NUMBER', -1.5e-300],
      ['NUMBER', 9007199254740991],
      ['NUMBER', 1.7976931348623157e308],
      ['BOOLEAN', false],
      ['JSON', { zeta: 1, alpha: { b: [1, 2, { c: null }], a: 'x' }, '': true }],
      ['JSON', [3, 'two', { one: 1 }]],
      ['BINARY', 'SGVsbG8gV29ybGQ='],
    ])('keeps a %s value exactly: %p', async (valueType, value) => {
      const written = await put('typed', { value, valueType });
      expect(written.status).toBe(201);
      const read = await get('typed');
      expect(JSON.stringify(bodyOf<EntryDto>(read).value)).toBe(JSON.stringify(value));
      expect(bodyOf<EntryDto>(read).valueType).toBe(valueType);
    });

    it('names the same entry with raw and percent-encoded slashes', async () => {
      expect((await put('a/b/c', { value: 1, valueType: 'NUMBER' })).status).toBe(201);
      const encoded = await sut.http().get(`${API}/${ns}/entries/a%2Fb%2Fc`);
      expect(encoded.status).toBe(200);
      expect(bodyOf<EntryDto>(encoded).keyPath).toBe('a/b/c');
      expect(
        bodyOf<EntryDto>(
          await sut
            .http()
            .put(`${API}/${ns}/entries/a%2Fb/c`)
            .send({ value: 2, valueType: 'NUMBER' }),
        ).version,
      ).toBe(2);
    });

    it('keeps ?, # and % in a key sent percent-encoded, as the spec requires of {key}', async () => {
      const key = 'q?mark/x#frag/100%';
      const written = await sut
        .http()
        .put(`${API}/${ns}/entries/${encodeURIComponent(key)}`)
        .send({ value: 1, valueType: 'NUMBER' });
      expect([written.status, bodyOf<EntryDto>(written).keyPath]).toEqual([201, key]);
      // Sent raw, ? starts the query string: the request names key q (what orval did).
      const raw = await sut.http().get(`${API}/${ns}/entries/q?mark/x`);
      expect([raw.status, bodyOf<ProblemDto>(raw).code]).toEqual([404, 'ENTRY_NOT_FOUND']);
    });

    it('keeps unicode and reserved-looking segments in keys', async () => {
      for (const key of ['ünï/cødé/🔑', 'versions/x', 'a/rotate/b', 'x%y_z\\w']) {
        const res = await sut
          .http()
          .put(`${API}/${ns}/entries/${encodeURIComponent(key)}`)
          .send({ value: key, valueType: 'STRING' });
        expect(res.status).toBe(201);
        expect(bodyOf<EntryDto>(res).keyPath).toBe(key);
        expect(
          bodyOf<EntryDto>(await sut.http().get(`${API}/${ns}/entries/${encodeURIComponent(key)}`))
            .value,
        ).toBe(key);
      }
    });

    it.each([
      ['a .. segment', '%2E%2E'],
      ['a . segment', 'a/%2E/b'],
      ['a leading slash', '%2Fa'],
      ['a trailing slash', 'a%2F'],
      ['an empty segment', 'a%2F%2Fb'],
      ['a control character', 'a%01b'],
      ['a NUL', 'a%00b'],
      ['513 characters', 'k'.repeat(513)],
      ['33 segments', Array(33).fill('s').join('/')],
      ['a reserved last segment', 'a/versions'],
      ['another reserved last segment', 'rollback'],
    ])('rejects a key with %s on write with 400 naming key', async (_case, key) => {
      const res = await sut
        .http()
        .put(`${API}/${ns}/entries/${key}`)
        .send({ value: 'x', valueType: 'STRING' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual([expect.objectContaining({ field: 'key' })]);
    });

    it('stores whatever key the validator accepts byte for byte, and nothing it rejects', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
          async (key) => {
            const res = await sut
              .http()
              .put(`${API}/${ns}/entries/${encodeURIComponent(key)}`)
              .send({ value: key, valueType: 'STRING' });
            if (keyPathProblem(key, true) === undefined) {
              expect(res.status).toBeLessThan(300);
              const read = await sut.http().get(`${API}/${ns}/entries/${encodeURIComponent(key)}`);
              expect(Buffer.from(bodyOf<EntryDto>(read).keyPath)).toEqual(Buffer.from(key));
              expect(bodyOf<EntryDto>(read).value).toBe(key);
            } else {
              expect(res.status).toBe(400);
            }
          },
        ),
        { numRuns: 60 },
      );
      const stored: { key_path: string }[] = await sut
        .app!.get(DataSource)
        .query('SELECT key_path FROM entries WHERE namespace_id = $1', [ns]);
      expect(stored.every(({ key_path }) => keyPathProblem(key_path, true) === undefined)).toBe(
        true,
      );
    });

    it('rejects invalid keys on read and delete too, and an empty key', async () => {
      expectProblem(
        await sut.http().get(`${API}/${ns}/entries/a%2F%2Fb`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await sut.http().delete(`${API}/${ns}/entries/%2E%2E`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await sut.http().get(`${API}/${ns}/entries/`), 400, 'VALIDATION_FAILED');
    });

    it.each(['.', '..', 'a/..', '%2E', '%2E%2E', 'a/%2E%2E'])(
      'answers 400 for the key %s as a client that removes dot segments sends it',
      async (key) => {
        const base = await sut.url();
        for (const method of ['PUT', 'GET', 'DELETE']) {
          // fetch resolves the URL as browsers and curl do: `entries/..` arrives as `/{nsId}/`.
          const res = await fetch(new URL(`${API}/${ns}/entries/${key}`, base), {
            method,
            headers: {
              authorization: `Bearer ${sut.adminToken}`,
              'content-type': 'application/json',
            },
            body:
              method === 'PUT' ? JSON.stringify({ value: 'x', valueType: 'STRING' }) : undefined,
          });
          expect(res.status).toBe(400);
          expect(await res.json()).toMatchObject({
            status: 400,
            code: 'VALIDATION_FAILED',
            errors: [expect.objectContaining({ field: 'key' })],
          });
        }
      },
    );

    it.each([
      ['a number as STRING', { value: 5, valueType: 'STRING' }, 'value'],
      ['a string as NUMBER', { value: '5', valueType: 'NUMBER' }, 'value'],
      ['a string as BOOLEAN', { value: 'true', valueType: 'BOOLEAN' }, 'value'],
      ['a string as JSON', { value: 'x', valueType: 'JSON' }, 'value'],
      ['null as JSON', { value: null, valueType: 'JSON' }, 'value'],
      ['bad base64 as BINARY', { value: 'abc', valueType: 'BINARY' }, 'value'],
      ['no value', { valueType: 'STRING' }, 'value'],
      ['an unknown valueType', { value: 'x', valueType: 'TEXT' }, 'valueType'],
      ['an array as metadata', { value: 'x', valueType: 'STRING', metadata: [1] }, 'metadata'],
      ['a string as metadata', { value: 'x', valueType: 'STRING', metadata: 'm' }, 'metadata'],
      [
        'oversized metadata',
        { value: 'x', valueType: 'STRING', metadata: { m: 'x'.repeat(17000) } },
        'metadata',
      ],
      ['a zero ttlSeconds', { value: 'x', valueType: 'STRING', ttlSeconds: 0 }, 'ttlSeconds'],
      ['a string ttlSeconds', { value: 'x', valueType: 'STRING', ttlSeconds: '60' }, 'ttlSeconds'],
      [
        'a negative expectedVersion',
        { value: 'x', valueType: 'STRING', expectedVersion: -1 },
        'expectedVersion',
      ],
      ['an unknown field', { value: 'x', valueType: 'STRING', colour: 'red' }, 'colour'],
    ])('rejects %s with 400 naming the field and echoing no value', async (_case, body, field) => {
      const res = await put('checked', body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect(JSON.stringify(res.body)).not.toContain('xxxxxxxx');
      expectProblem(await get('checked'), 404, 'ENTRY_NOT_FOUND');
    });

    it('answers a value over KV_MAX_VALUE_BYTES with 413 VALUE_TOO_LARGE', async () => {
      expect((await put('big', { value: 'x'.repeat(65534), valueType: 'STRING' })).status).toBe(
        201,
      );
      const res = await put('bigger', { value: 'x'.repeat(65535), valueType: 'STRING' });
      expectProblem(res, 413, 'VALUE_TOO_LARGE');
      expect(JSON.stringify(res.body)).not.toContain('xxxx');
      expectProblem(
        await put('binary', { value: Buffer.alloc(65537).toString('base64'), valueType: 'BINARY' }),
        413,
        'VALUE_TOO_LARGE',
      );
    });

    it.each([
      [
        'a value nested 5000 levels deep',
        `{"value":${'['.repeat(5000)}${']'.repeat(5000)},"valueType":"JSON"}`,
        'value',
      ],
      [
        'metadata nested 5000 levels deep',
        `{"value":1,"valueType":"NUMBER","metadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
        'metadata',
      ],
      [
        'a number beyond double range in a JSON value',
        '{"value":{"a":1e400},"valueType":"JSON"}',
        'value',
      ],
      [
        'a number beyond double range in metadata',
        '{"value":1,"valueType":"NUMBER","metadata":{"a":-1e400}}',
        'metadata',
      ],
    ])('rejects %s with 400, not a 500 or a silently stored null', async (_case, raw, field) => {
      const res = await sut
        .http()
        .put(url('shaped'))
        .set('content-type', 'application/json')
        .send(raw);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual([expect.objectContaining({ field })]);
      expectProblem(await get('shaped'), 404, 'ENTRY_NOT_FOUND');
    });

    it('keeps JSON values and metadata with keys named like members of Object exactly', async () => {
      const awkward = {
        constructor: { name: 'Pool' },
        prototype: [1],
        valueOf: 0,
        toString: 'x',
        hasOwnProperty: null,
        nested: { isPrototypeOf: true, constructor: 'y' },
      };
      const written = await put('members', {
        value: [awkward],
        valueType: 'JSON',
        metadata: awkward,
      });
      expect(written.status).toBe(201);
      const read = await get('members');
      expect(JSON.stringify(bodyOf<EntryDto>(read).value)).toBe(JSON.stringify([awkward]));
      expect(JSON.stringify(bodyOf<EntryDto>(read).metadata)).toBe(JSON.stringify(awkward));
    });

    it('answers a missing entry and a missing namespace with their own 404s', async () => {
      expectProblem(await get('nothing/here'), 404, 'ENTRY_NOT_FOUND');
      expectProblem(await sut.http().get(url('x', randomUUID())), 404, 'NAMESPACE_NOT_FOUND');
      expectProblem(
        await sut.http().put(url('x', randomUUID())).send({ value: 1, valueType: 'NUMBER' }),
        404,
        'NAMESPACE_NOT_FOUND',
      );
    });
  });

  describe('optimistic locking', () => {
    it('creates only if absent with expectedVersion 0', async () => {
      expect(
        (await put('lock', { value: 1, valueType: 'NUMBER', expectedVersion: 0 })).status,
      ).toBe(201);
      expectProblem(
        await put('lock', { value: 2, valueType: 'NUMBER', expectedVersion: 0 }),
        409,
        'VERSION_CONFLICT',
      );
    });

    it('writes only at the expected version; an absent entry is a conflict too', async () => {
      await put('lock', { value: 1, valueType: 'NUMBER' });
      expectProblem(
        await put('lock', { value: 2, valueType: 'NUMBER', expectedVersion: 2 }),
        409,
        'VERSION_CONFLICT',
      );
      expect(
        bodyOf<EntryDto>(await put('lock', { value: 2, valueType: 'NUMBER', expectedVersion: 1 }))
          .version,
      ).toBe(2);
      expectProblem(
        await put('absent', { value: 2, valueType: 'NUMBER', expectedVersion: 1 }),
        409,
        'VERSION_CONFLICT',
      );
    });

    it('honours If-Match with 412, and If-None-Match with 304', async () => {
      await put('tagged', { value: 1, valueType: 'NUMBER' });
      expectProblem(
        await sut
          .http()
          .put(url('tagged'))
          .set('if-match', '"7"')
          .send({ value: 2, valueType: 'NUMBER' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await sut
          .http()
          .put(url('absent'))
          .set('if-match', '"1"')
          .send({ value: 2, valueType: 'NUMBER' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await sut
          .http()
          .put(url('absent'))
          .set('if-match', '*')
          .send({ value: 2, valueType: 'NUMBER' }),
        412,
        'PRECONDITION_FAILED',
      );
      const ok = await sut
        .http()
        .put(url('tagged'))
        .set('if-match', '"1"')
        .send({ value: 2, valueType: 'NUMBER' });
      expect(ok.status).toBe(200);
      const fresh = await sut.http().get(url('tagged')).set('if-none-match', '"2"');
      expect(fresh.status).toBe(304);
      expect(fresh.headers.etag).toBe('"2"');
      expect(fresh.text).toBe('');
      expect((await sut.http().get(url('tagged')).set('if-none-match', '"1"')).status).toBe(200);
      expectProblem(
        await sut.http().delete(url('tagged')).set('if-match', '"1"'),
        412,
        'PRECONDITION_FAILED',
      );
      expect((await sut.http().delete(url('tagged')).set('if-match', '"2"')).status).toBe(204);
    });

    it('lets exactly one of 20 concurrent writers at the same expectedVersion win', async () => {
      await put('contended', { value: 0, valueType: 'NUMBER' });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          put('contended', { value: i + 1, valueType: 'NUMBER', expectedVersion: 1 }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(19);
      expect(bodyOf<EntryDto>(await get('contended')).version).toBe(2);
    });

    it('loses no increment when writers race read-modify-write with If-Match and retry', async () => {
      await put('counter', { value: 0, valueType: 'NUMBER' });
      const workers = 8;
      const increments = 5;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let done = 0; done < increments;) {
            const read = await get('counter');
            const res = await sut
              .http()
              .put(url('counter'))
              .set('if-match', read.headers.etag)
              .send({ value: (bodyOf<EntryDto>(read).value as number) + 1, valueType: 'NUMBER' });
            if (res.status === 200) {
              done += 1;
            } else {
              expect(res.status).toBe(412);
            }
          }
        }),
      );
      const final = await get('counter');
      expect(bodyOf<EntryDto>(final).value).toBe(workers * increments);
      expect(bodyOf<EntryDto>(final).version).toBe(workers * increments + 1);
    });

    it('lets exactly one of concurrent first writers create', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => put('first', { value: i, valueType: 'NUMBER' })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200)).toHaveLength(9);
      expect(bodyOf<EntryDto>(await get('first')).version).toBe(10);
    });
  });

  describe('list', () => {
    const keys = [
      'a',
      'a%',
      'a%b',
      'a/b',
      'a\\',
      'a\\b',
      'a_',
      'a_b',
      'ab',
      'abc',
      'b',
      'z/ü',
      'Ä',
    ];

    beforeEach(async () => {
      for (const key of keys) {
        await sut
          .http()
          .put(`${API}/${ns}/entries/${encodeURIComponent(key)}`)
          .send({ value: key, valueType: 'STRING' });
      }
    });

    const list = (query: Record<string, unknown>, http = sut.http()) =>
      http.get(`${API}/${ns}/entries`).query({ limit: 1000, ...query });
    const keysOf = (res: request.Response) => bodyOf<EntryPageDto>(res).items.map((e) => e.keyPath);

    it('lists in byte order without values by default', async () => {
      const res = await list({});
      expect(res.status).toBe(200);
      expect(keysOf(res)).toEqual(
        [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
      );
      expect(bodyOf<EntryPageDto>(res).items[0]).not.toHaveProperty('value');
      const withValues = await list({ includeValues: true });
      expect(bodyOf<EntryPageDto>(withValues).items.map((e) => e.value)).toEqual(
        keysOf(withValues),
      );
    });

    it.each([
      ['a_', ['a_', 'a_b']],
      ['a%', ['a%', 'a%b']],
      ['a\\', ['a\\', 'a\\b']],
      ['a/', ['a/b']],
      ['ab', ['ab', 'abc']],
      ['zz', []],
      ['Ä', ['Ä']],
    ])('treats prefix %p literally', async (prefix, expected) => {
      expect(keysOf(await list({ prefix }))).toEqual(expected);
    });

    it('walks every page once, with no duplicates or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await list({ limit: 4, ...(cursor ? { cursor } : {}) });
        expect(bodyOf<EntryPageDto>(res).items.length).toBeLessThanOrEqual(4);
        seen.push(...keysOf(res));
        cursor = bodyOf<EntryPageDto>(res).nextCursor;
      } while (cursor);
      expect(seen).toEqual(
        [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
      );
    });

    it('stays stable when keys are inserted between pages', async () => {
      const first = await list({ limit: 3 });
      await sut.http().put(url('0-before')).send({ value: 1, valueType: 'NUMBER' });
      await sut.http().put(url('zz-after')).send({ value: 1, valueType: 'NUMBER' });
      const rest: string[] = [];
      let cursor: string | null = bodyOf<EntryPageDto>(first).nextCursor;
      while (cursor) {
        const res: request.Response = await list({ limit: 3, cursor });
        rest.push(...keysOf(res));
        cursor = bodyOf<EntryPageDto>(res).nextCursor;
      }
      const all = [...keysOf(first), ...rest];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toContain('zz-after');
      expect(all).not.toContain('0-before');
    });

    it('needs kv-entry:read as well for includeValues=true', async () => {
      const reader = sut.http(await sut.tokens.only([KvPermission.NamespaceRead]));
      expect((await list({}, reader)).status).toBe(200);
      expectProblem(await list({ includeValues: true }, reader), 403, 'FORBIDDEN');
    });

    it.each([
      ['includeValues=yes', { includeValues: 'yes' }, 'includeValues'],
      ['a forged cursor', { cursor: Buffer.from('[1]').toString('base64url') }, 'cursor'],
      ['limit=0', { limit: 0 }, 'limit'],
    ])('rejects %s with 400', async (_case, query, field) => {
      const res = await list(query);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it('serves prefix ranges from the unique index on (namespace_id, key_path)', async () => {
      const dataSource = sut.app!.get(DataSource);
      const plan: { 'QUERY PLAN': string }[] = await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        return manager.query(
          `EXPLAIN SELECT * FROM entries WHERE namespace_id = $1 AND key_path >= $2 AND key_path < $3 ORDER BY key_path LIMIT 101`,
          [ns, 'a_', 'a`'],
        );
      });
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('uq_entries_namespace_id_key_path');
      expect(text).toMatch(/Index Cond: .*key_path\)?(::text)? >= /);
    });

    it("reads pages with the service's own statement as an index range, also as a generic plan", async () => {
      const dataSource = sut.app!.get(DataSource);
      const plan: { 'QUERY PLAN': string }[] = await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        await manager.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await manager.query(
          `PREPARE kv_page_plan(uuid, text, text, text, int, boolean, text[]) AS ${READ_PAGE.text}`,
        );
        try {
          return await manager.query(
            `EXPLAIN EXECUTE kv_page_plan('${ns}', 'a_', 'a_1', 'a\`', 51, true, NULL)`,
          );
        } finally {
          await manager.query('DEALLOCATE kv_page_plan');
        }
      });
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('uq_entries_namespace_id_key_path');
      expect(text).toMatch(/Index Cond: .*key_path\)?(::text)? >= .*key_path\)?(::text)? > /);
    });
  });

  describe('TTL', () => {
    it('hides an expired entry from reads and lists at once, and the sweeper removes it', async () => {
      const res = await put('short-lived', { value: 'x', valueType: 'STRING', ttlSeconds: 1 });
      expect(res.status).toBe(201);
      expect(Date.parse(String(bodyOf<EntryDto>(res).expiresAt))).toBeGreaterThan(
        Date.now() - 5000,
      );
      await expectEventually(async () =>
        expectProblem(await get('short-lived'), 404, 'ENTRY_NOT_FOUND'),
      );
      expect(bodyOf<EntryPageDto>(await sut.http().get(`${API}/${ns}/entries`)).items).toEqual([]);
      const dataSource = sut.app!.get(DataSource);
      await sut.app!.get(TtlSweeper).sweep();
      // Only the tombstone is left: no value, no expiry.
      expect(
        await dataSource.query(
          'SELECT value, expires_at FROM entries WHERE namespace_id = $1 AND deleted_at IS NOT NULL',
          [ns],
        ),
      ).toEqual([{ value: null, expires_at: null }]);
    });

    it('creates over an expired entry, continuing its versions', async () => {
      await put('reborn', { value: 1, valueType: 'NUMBER', ttlSeconds: 1 });
      await expectEventually(async () =>
        expectProblem(await get('reborn'), 404, 'ENTRY_NOT_FOUND'),
      );
      const res = await put('reborn', { value: 2, valueType: 'NUMBER', expectedVersion: 0 });
      expect(res.status).toBe(201);
      expect(bodyOf<EntryDto>(res).version).toBe(2);
    });

    it("applies the namespace's defaultTtlSeconds unless ttlSeconds is given or null", async () => {
      const withDefault = (await createNamespace(sut.http(), { defaultTtlSeconds: 3600 })).id;
      const put2 = (key: string, extra: Record<string, unknown>) =>
        sut
          .http()
          .put(url(key, withDefault))
          .send({ value: 1, valueType: 'NUMBER', ...extra });
      const hour = bodyOf<EntryDto>(await put2('default', {})).expiresAt;
      expect(Date.parse(String(hour)) - Date.now()).toBeGreaterThan(3500 * 1000);
      expect(bodyOf<EntryDto>(await put2('never', { ttlSeconds: null })).expiresAt).toBeNull();
      const minute = bodyOf<EntryDto>(await put2('own', { ttlSeconds: 60 })).expiresAt;
      expect(Date.parse(String(minute)) - Date.now()).toBeLessThan(61 * 1000);
    });
  });

  describe('delete', () => {
    it('deletes with 204 and then answers 404', async () => {
      await put('doomed', { value: 1, valueType: 'NUMBER' });
      const res = await sut.http().delete(url('doomed'));
      expect(res.status).toBe(204);
      expectProblem(await get('doomed'), 404, 'ENTRY_NOT_FOUND');
      expectProblem(await sut.http().delete(url('doomed')), 404, 'ENTRY_NOT_FOUND');
      expect(bodyOf<EntryDto>(await put('doomed', { value: 2, valueType: 'NUMBER' })).version).toBe(
        2,
      );
    });

    it('removes the entries of a deleted namespace, tombstones included', async () => {
      await put('a', { value: 1, valueType: 'NUMBER' });
      await put('b', { value: 1, valueType: 'NUMBER' });
      await sut.http().delete(url('a'));
      expect((await sut.http().delete(`${API}/namespaces/${ns}`)).status).toBe(204);
      const dataSource = sut.app!.get(DataSource);
      expect(await dataSource.query('SELECT 1 FROM entries WHERE namespace_id = $1', [ns])).toEqual(
        [],
      );
    });
  });

  describe('permissions and audit', () => {
    it('needs kv-entry:read, kv-entry:write and kv-entry:delete', async () => {
      await put('guarded', { value: 1, valueType: 'NUMBER' });
      const listOnly = sut.http(await sut.tokens.only([KvPermission.NamespaceRead]));
      expectProblem(await get('guarded', { http: listOnly }), 403, 'FORBIDDEN');
      expectProblem(
        await put('guarded', { value: 2, valueType: 'NUMBER' }, { http: listOnly }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await listOnly.delete(url('guarded')), 403, 'FORBIDDEN');
      const writer = sut.http(await sut.tokens.only([KvPermission.EntryWrite]));
      expect(
        (await put('guarded', { value: 2, valueType: 'NUMBER' }, { http: writer })).status,
      ).toBe(200);
    });

    it('answers entries of another application like a missing namespace', async () => {
      await put('theirs', { value: 1, valueType: 'NUMBER' });
      const outsider = sut.http(
        await sut.tokens.only([KvPermission.EntryRead, KvPermission.EntryWrite], ['other-app']),
      );
      expectProblem(await get('theirs', { http: outsider }), 404, 'NAMESPACE_NOT_FOUND');
      expectProblem(
        await put('theirs', { value: 2, valueType: 'NUMBER' }, { http: outsider }),
        404,
        'NAMESPACE_NOT_FOUND',
      );
      expect(bodyOf<EntryDto>(await get('theirs')).value).toBe(1);
    });

    it('audits each operation with its key path and entry, never the value', async () => {
      const sub = `entry-user-${randomUUID()}`;
      const http = sut.http(await sut.tokens.mint({ sub }));
      const marker = `marker-${randomUUID()}`;
      const created = bodyOf<EntryDto>(
        await put('audited/key', { value: marker, valueType: 'STRING' }, { http }),
      );
      await get('audited/key', { http });
      await http.get(url('audited/key')).set('if-none-match', '"1"');
      await get('audited/missing', { http });
      await http.get(`${API}/${ns}/entries`);
      await http.delete(url('audited/key'));
      const rows = bodyOf<AuditPageDto>(
        await sut.http().get(`${API}/audit`).query({ userId: sub }),
      ).items.reverse();
      expect(
        rows.map((r) => [r.action, r.statusCode, r.keyPath, r.entryId, r.namespaceId]),
      ).toEqual([
        ['WRITE', 201, 'audited/key', created.id, ns],
        ['READ', 200, 'audited/key', created.id, ns],
        ['READ', 304, 'audited/key', created.id, ns],
        ['READ', 404, 'audited/missing', null, ns],
        ['LIST', 200, null, null, ns],
        ['DELETE', 204, 'audited/key', created.id, ns],
      ]);
      const dataSource = sut.app!.get(DataSource);
      expect(
        await dataSource.query(
          `SELECT 1 FROM audit_log a WHERE row_to_json(a)::text LIKE '%' || $1 || '%'`,
          [marker],
        ),
      ).toEqual([]);
    });
  });
});
