import { randomUUID } from 'node:crypto';
import { parse as parseDotenv } from 'dotenv';
import { DataSource } from 'typeorm';
import YAML from 'yaml';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, NamespaceDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API } from '../utils/entries';
import { createNamespace, uniqueApplicationId } from '../utils/factories';
import { expectProblem } from '../utils/problems';

interface Plan {
  dryRun: boolean;
  revision: number;
  created: { key: string; version: number }[];
  updated: { key: string; version: number; previousVersion: number }[];
  unchanged: { key: string; version: number }[];
  deleted: { key: string; version: number }[];
}

const HOSTILE: Record<string, string> = {
  'app/multi-line': 'line one\nline two\r\nline three',
  'app/quotes': `it's "double" and \`back\``,
  'app/dollar': '$HOME ${PATH} $(id)',
  'app/hash': 'value # not a comment',
  'app/backslash': 'C:\\dir\\n\\',
  'app/injection': 'x\nEVIL=1',
  'app/empty': '',
  'app/spaces': '  padded  ',
};

describe('namespaces by name, export and import', () => {
  let sut: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    sut = await createTestApp();
    dataSource = sut.app!.get(DataSource);
  });

  afterAll(async () => {
    await sut.close();
  });

  const bulkSet = (ns: string, entries: Record<string, unknown>[]) =>
    sut.http().post(`${API}/${ns}/bulk/set`).send({ entries }).expect(200);
  const strings = (values: Record<string, string>) =>
    Object.entries(values).map(([key, value]) => ({ key, value, valueType: 'STRING' }));
  const exportOf = (ns: string, query: Record<string, string> = {}, http = sut.http()) =>
    http.get(`${API}/${ns}/export`).query(query).buffer(true);
  const importTo = (
    ns: string,
    document: string,
    query: Record<string, string> = {},
    http = sut.http(),
  ) =>
    http.post(`${API}/${ns}/import`).query(query).set('content-type', 'text/plain').send(document);
  const live = async (ns: string) =>
    (
      await dataSource.query<{ key_path: string; version: number; value: string | null }[]>(
        `SELECT key_path, version, value FROM entries
         WHERE namespace_id = $1 AND deleted_at IS NULL ORDER BY key_path`,
        [ns],
      )
    ).map((row) => [row.key_path, row.version, row.value]);

  describe('GET /namespaces/by-name', () => {
    it("finds a namespace of the token's applications by application and name", async () => {
      const ns = await createNamespace(sut.http());
      const res = await sut
        .http()
        .get(`${API}/namespaces/by-name`)
        .query({ applicationId: ns.applicationId, name: ns.name });
      expect(res.status).toBe(200);
      expect(bodyOf<NamespaceDto>(res)).toEqual(ns);
    });

    it("answers another application's namespace exactly as a missing one", async () => {
      const ns = await createNamespace(sut.http());
      const outsider = sut.http(await sut.tokens.mint({ applications: [uniqueApplicationId()] }));
      const foreign = await outsider
        .get(`${API}/namespaces/by-name`)
        .query({ applicationId: ns.applicationId, name: ns.name });
      const missing = await sut
        .http()
        .get(`${API}/namespaces/by-name`)
        .query({ applicationId: ns.applicationId, name: 'no-such-name' });
      expectProblem(foreign, 404, 'NAMESPACE_NOT_FOUND');
      expectProblem(missing, 404, 'NAMESPACE_NOT_FOUND');
      const shape = (body: ProblemDto) => ({
        ...body,
        detail: body.detail.replace(/ \S+ /, ' X '),
      });
      expect(shape(bodyOf<ProblemDto>(foreign))).toEqual(shape(bodyOf<ProblemDto>(missing)));
    });

    it('refuses bad input, no token and a token without kv-namespace:read', async () => {
      expectProblem(
        await sut
          .http()
          .get(`${API}/namespaces/by-name`)
          .query({ applicationId: 'a', name: '../x' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await sut.http().get(`${API}/namespaces/by-name`).query({ name: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await sut
          .http('not-a-token')
          .get(`${API}/namespaces/by-name`)
          .query({ applicationId: 'a', name: 'x' }),
        401,
        'UNAUTHORIZED',
      );
      const reader = sut.http(await sut.tokens.only([KvPermission.EntryRead]));
      expectProblem(
        await reader.get(`${API}/namespaces/by-name`).query({ applicationId: 'a', name: 'x' }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('export', () => {
    it('writes dotenv by the flattening rule, sorted by name, values typed as text', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, [
        { key: 'config/database/host', value: 'db.internal', valueType: 'STRING' },
        { key: 'config/database/port', value: 5432, valueType: 'NUMBER' },
        { key: 'config/feature-flags/beta', value: true, valueType: 'BOOLEAN' },
        { key: 'config/limits', value: { rps: 10 }, valueType: 'JSON' },
        { key: 'other/key', value: 'elsewhere', valueType: 'STRING' },
      ]);
      const all = await exportOf(id);
      expect(all.status).toBe(200);
      expect(all.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(all.text).toBe(
        'CONFIG_DATABASE_HOST=db.internal\n' +
          'CONFIG_DATABASE_PORT=5432\n' +
          'CONFIG_FEATURE_FLAGS_BETA=true\n' +
          'CONFIG_LIMITS={"rps":10}\n' +
          'OTHER_KEY=elsewhere\n',
      );
      const config = await exportOf(id, { format: 'dotenv', prefix: 'config/' });
      expect(Object.keys(parseDotenv(config.text))).toEqual([
        'DATABASE_HOST',
        'DATABASE_PORT',
        'FEATURE_FLAGS_BETA',
        'LIMITS',
      ]);
    });

    it('quotes hostile values so that the dotenv parser reads them back exactly', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings(HOSTILE));
      const res = await exportOf(id, { prefix: 'app' });
      expect(parseDotenv(res.text)).toEqual({
        MULTI_LINE: HOSTILE['app/multi-line'],
        QUOTES: HOSTILE['app/quotes'],
        DOLLAR: HOSTILE['app/dollar'],
        HASH: HOSTILE['app/hash'],
        BACKSLASH: HOSTILE['app/backslash'],
        INJECTION: HOSTILE['app/injection'],
        EMPTY: '',
        SPACES: '  padded  ',
      });
    });

    it('refuses keys that collide once flattened with 409 naming them, and never a value', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ 'db/host': 'secret-a', 'db-host': 'secret-b', ok: 'x' }));
      const res = await exportOf(id);
      expectProblem(res, 409, 'EXPORT_CONFLICT');
      const problem = bodyOf<ProblemDto>(res);
      expect(problem.errors?.map((e) => e.key).sort()).toEqual(['db-host', 'db/host']);
      expect(problem.detail).toContain('DB_HOST');
      expect(JSON.stringify(problem)).not.toMatch(/secret-/);
    });

    it('nests JSON and YAML by segment with typed values; a key that is also a parent is 409', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, [
        { key: 'db/host', value: 'db.internal', valueType: 'STRING' },
        { key: 'db/port', value: 5432, valueType: 'NUMBER' },
        { key: 'flags/beta', value: false, valueType: 'BOOLEAN' },
        { key: 'hosts', value: ['a', 'b'], valueType: 'JSON' },
        { key: '__proto__/x', value: 'kept', valueType: 'STRING' },
      ]);
      const json = await exportOf(id, { format: 'json' });
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const expected = {
        ['__proto__']: { x: 'kept' },
        db: { host: 'db.internal', port: 5432 },
        flags: { beta: false },
        hosts: ['a', 'b'],
      };
      expect(JSON.parse(json.text)).toEqual(JSON.parse(JSON.stringify(expected)));
      const yaml = await exportOf(id, { format: 'yaml' });
      expect(yaml.headers['content-type']).toBe('application/yaml; charset=utf-8');
      expect(YAML.parse(yaml.text)).toEqual(JSON.parse(json.text));
      await bulkSet(id, strings({ db: 'also a leaf' }));
      const conflict = await exportOf(id, { format: 'yaml' });
      expectProblem(conflict, 409, 'EXPORT_CONFLICT');
      expect(bodyOf<ProblemDto>(conflict).errors?.map((e) => e.key)).toEqual(['db', 'db']);
    });

    it('leaves one audit record listing the exported keys, and refuses strangers and bad input', async () => {
      const sub = `exporter-${randomUUID()}`;
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ 'a/one': 'v-one-secret', 'a/two': 'v-two-secret' }));
      const http = sut.http(await sut.tokens.mint({ sub }));
      expect((await exportOf(id, {}, http)).status).toBe(200);
      const rows = bodyOf<AuditPageDto>(
        await sut.http().get(`${API}/audit`).query({ userId: sub }),
      ).items;
      expect(rows.map((r) => [r.action, r.keyPath, r.success, r.requestId]).sort()).toEqual([
        ['READ', 'a/one', true, rows[0].requestId],
        ['READ', 'a/two', true, rows[0].requestId],
      ]);
      const [{ n }] = await dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_log WHERE request_id = $1`,
        [rows[0].requestId],
      );
      expect(Number(n)).toBe(1);
      const text = await dataSource.query<{ t: string }[]>(
        `SELECT a::text AS t FROM audit_log a WHERE request_id = $1`,
        [rows[0].requestId],
      );
      expect(text[0].t).not.toContain('secret');

      const outsider = sut.http(await sut.tokens.mint({ applications: [uniqueApplicationId()] }));
      expectProblem(await exportOf(id, {}, outsider), 404, 'NAMESPACE_NOT_FOUND');
      const writer = sut.http(await sut.tokens.only([KvPermission.EntryWrite]));
      expectProblem(await exportOf(id, {}, writer), 403, 'FORBIDDEN');
      expectProblem(await exportOf(id, { format: 'xml' }), 400, 'VALIDATION_FAILED');
      expectProblem(await exportOf(id, { prefix: 'a/../b' }), 400, 'VALIDATION_FAILED');
      expectProblem(await exportOf('not-a-uuid'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('import', () => {
    it('plans created, updated, unchanged and pruned keys with versions, never values; the dry run is the plan applied', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(
        id,
        strings({ 'env/SAME': 'same', 'env/CHANGED': 'old', 'env/EXTRA': 'x', keep: 'k' }),
      );
      const document = 'SAME=same\nCHANGED=new-secret\nNEW=fresh-secret\n';
      const before = await live(id);
      const dry = await importTo(id, document, { prefix: 'env', prune: 'true', dryRun: 'true' });
      expect(dry.status).toBe(200);
      expect(await live(id)).toEqual(before);
      const applied = await importTo(id, document, { prefix: 'env', prune: 'true' });
      expect(applied.status).toBe(200);
      const expected: Omit<Plan, 'dryRun' | 'revision'> = {
        created: [{ key: 'env/NEW', version: 1 }],
        updated: [{ key: 'env/CHANGED', version: 2, previousVersion: 1 }],
        unchanged: [{ key: 'env/SAME', version: 1 }],
        deleted: [{ key: 'env/EXTRA', version: 1 }],
      };
      // One revision for the whole import (the bulk set was 1).
      expect(bodyOf<Plan>(dry)).toEqual({ dryRun: true, revision: 1, ...expected });
      expect(bodyOf<Plan>(applied)).toEqual({ dryRun: false, revision: 2, ...expected });
      expect([dry.headers['x-kv-revision'], applied.headers['x-kv-revision']]).toEqual(['1', '2']);
      expect(JSON.stringify(applied.body)).not.toContain('secret');
      expect(await live(id)).toEqual([
        ['env/CHANGED', 2, '"new-secret"'],
        ['env/NEW', 1, '"fresh-secret"'],
        ['env/SAME', 1, '"same"'],
        ['keep', 1, '"k"'],
      ]);
      // Again: nothing left to change.
      const again = bodyOf<Plan>(await importTo(id, document, { prefix: 'env', prune: 'true' }));
      expect([again.created, again.updated, again.deleted]).toEqual([[], [], []]);
    });

    it('is all or nothing: a bad item is a 400 naming it and nothing is written', async () => {
      const { id } = await createNamespace(sut.http());
      const res = await importTo(
        id,
        JSON.stringify({ ok: 'x', bad: { 'no//empty': 1 }, n: null }),
        {
          format: 'json',
        },
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual([
        expect.objectContaining({ key: 'n', field: 'value' }),
      ]);
      const badKey = await importTo(id, JSON.stringify({ ok: 'x', 'a//b': 1 }), { format: 'json' });
      expectProblem(badKey, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(badKey).errors).toEqual([
        expect.objectContaining({ index: 1, key: 'a//b', field: 'key' }),
      ]);
      const big = await importTo(id, `A=x\nB=${'y'.repeat(70000)}\n`);
      expectProblem(big, 413, 'VALUE_TOO_LARGE');
      const many = Array.from({ length: 1001 }, (_, i) => `K${i}=v`).join('\n');
      expectProblem(await importTo(id, many), 400, 'VALIDATION_FAILED');
      expectProblem(await importTo(id, '{ not json', { format: 'json' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await importTo(id, 'a: [unclosed', { format: 'yaml' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await importTo(id, '- a list', { format: 'yaml' }), 400, 'VALIDATION_FAILED');
      expect(await live(id)).toEqual([]);
    });

    it('takes the document as text/plain only, and no other route takes text/plain', async () => {
      const { id } = await createNamespace(sut.http());
      expectProblem(
        await sut.http().post(`${API}/${id}/import`).send({ A: 'x' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectProblem(
        await sut
          .http()
          .post(`${API}/${id}/bulk/set`)
          .set('content-type', 'text/plain')
          .send('A=x'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectProblem(await sut.http().post(`${API}/${id}/import`), 400, 'VALIDATION_FAILED');
      const empty = await sut.http().post(`${API}/${id}/import`).set('content-type', 'text/plain');
      expect(bodyOf<Plan>(empty)).toEqual({
        dryRun: false,
        revision: 0,
        created: [],
        updated: [],
        unchanged: [],
        deleted: [],
      });
    });

    it('needs read and write, delete to prune, and answers a foreign namespace as a missing one', async () => {
      const { id, applicationId } = await createNamespace(sut.http());
      const writeOnly = sut.http(await sut.tokens.only([KvPermission.EntryWrite]));
      expectProblem(await importTo(id, 'A=x', {}, writeOnly), 403, 'FORBIDDEN');
      const noDelete = sut.http(
        await sut.tokens.only([KvPermission.EntryRead, KvPermission.EntryWrite], [applicationId]),
      );
      expect((await importTo(id, 'A=x', {}, noDelete)).status).toBe(200);
      expectProblem(await importTo(id, 'A=x', { prune: 'true' }, noDelete), 403, 'FORBIDDEN');
      const outsider = sut.http(await sut.tokens.mint({ applications: [uniqueApplicationId()] }));
      expectProblem(await importTo(id, 'A=y', {}, outsider), 404, 'NAMESPACE_NOT_FOUND');
      expectProblem(await importTo(randomUUID(), 'A=y'), 404, 'NAMESPACE_NOT_FOUND');
      expect(await live(id)).toEqual([['A', 1, '"x"']]);
    });

    it('compares the opened values of a secret namespace, and keeps them sealed', async () => {
      const { id } = await createNamespace(sut.http(), { isSecretNamespace: true });
      expect(bodyOf<Plan>(await importTo(id, 'TOKEN=abc\nOTHER=1')).created).toHaveLength(2);
      const plan = bodyOf<Plan>(await importTo(id, 'TOKEN=abc\nOTHER=2'));
      expect(plan.unchanged).toEqual([{ key: 'TOKEN', version: 1 }]);
      expect(plan.updated).toEqual([{ key: 'OTHER', version: 2, previousVersion: 1 }]);
      expect((await live(id)).map(([, , value]) => value)).toEqual([null, null]);
    });

    it.each(['dotenv', 'json', 'yaml'])(
      'export → import → export gives the same %s document, byte for byte',
      async (format) => {
        const source = await createNamespace(sut.http());
        await bulkSet(
          source.id,
          format === 'dotenv'
            ? strings(HOSTILE)
            : [
                ...strings(HOSTILE),
                { key: 'typed/n', value: 1.5, valueType: 'NUMBER' },
                { key: 'typed/b', value: true, valueType: 'BOOLEAN' },
                { key: 'typed/list', value: [1, { a: 'b' }], valueType: 'JSON' },
                { key: 'typed/empty', value: {}, valueType: 'JSON' },
              ],
        );
        const first = await exportOf(source.id, { format });
        expect(first.status).toBe(200);
        const target = await createNamespace(sut.http());
        expect((await importTo(target.id, first.text, { format })).status).toBe(200);
        const second = await exportOf(target.id, { format });
        expect(second.text).toBe(first.text);
      },
    );
  });

  describe('revisions', () => {
    const revisionOf = (res: { headers: Record<string, string> }) =>
      Number(res.headers['x-kv-revision']);

    it('exports as a past revision left the namespace, with the revision it is', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ 'cfg/A': 'one', 'cfg/B': 'two' }));
      await bulkSet(id, strings({ 'cfg/A': 'uno', 'cfg/C': 'three' }));
      await sut.http().delete(`${API}/${id}/entries/cfg/B`).expect(204);
      const now = await exportOf(id, { prefix: 'cfg' });
      expect([now.text, revisionOf(now), now.headers.etag]).toEqual(['A=uno\nC=three\n', 3, '"3"']);
      const first = await exportOf(id, { prefix: 'cfg', asOfRevision: '1' });
      expect([first.status, first.text, revisionOf(first)]).toEqual([200, 'A=one\nB=two\n', 1]);
      expect(first.headers.etag).toBeUndefined();
      const json = await exportOf(id, { format: 'json', asOfRevision: '2' });
      expect(JSON.parse(json.text)).toEqual({ cfg: { A: 'uno', B: 'two', C: 'three' } });
      const empty = await exportOf(id, { format: 'json', asOfRevision: '0' });
      expect(JSON.parse(empty.text)).toEqual({});
      const ahead = await exportOf(id, { asOfRevision: '4' });
      expectProblem(ahead, 400, 'VALIDATION_FAILED');
      expectProblem(await exportOf(id, { asOfRevision: '-1' }), 400, 'VALIDATION_FAILED');
      expectProblem(await exportOf(id, { asOfRevision: 'x' }), 400, 'VALIDATION_FAILED');
    });

    it('answers 410 with the oldest readable revision for an export older than the history kept', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ A: '1' }));
      await bulkSet(id, strings({ A: '2' }));
      await dataSource.query(
        `UPDATE namespace_revisions SET compacted_revision = 2 WHERE namespace_id = $1`,
        [id],
      );
      const res = await exportOf(id, { asOfRevision: '1' });
      expectProblem(res, 410, 'REVISION_COMPACTED');
      expect(bodyOf<ProblemDto>(res).revision).toBe(2);
      expect((await exportOf(id, { asOfRevision: '2' })).text).toBe('A=2\n');
    });

    it('imports only at expectedRevision: 409 REVISION_CONFLICT with the current revision, nothing written', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ A: 'a' }));
      const stale = await importTo(id, 'A=changed\nB=new\n', { expectedRevision: '0' });
      expectProblem(stale, 409, 'REVISION_CONFLICT');
      expect(bodyOf<ProblemDto>(stale).revision).toBe(1);
      expect(JSON.stringify(stale.body)).not.toContain('changed');
      const dry = await importTo(id, 'B=new\n', { expectedRevision: '0', dryRun: 'true' });
      expectProblem(dry, 409, 'REVISION_CONFLICT');
      expect(await live(id)).toEqual([['A', 1, '"a"']]);
      const ok = await importTo(id, 'A=changed\nB=new\n', { expectedRevision: '1' });
      expect([ok.status, bodyOf<Plan>(ok).revision, revisionOf(ok)]).toEqual([200, 2, 2]);
      // An import that changes nothing is checked too, and leaves the revision as it is.
      const same = await importTo(id, 'A=changed\n', { expectedRevision: '2' });
      expect(bodyOf<Plan>(same)).toMatchObject({ revision: 2, unchanged: [{ key: 'A' }] });
      expectProblem(
        await importTo(id, 'A=changed\n', { expectedRevision: '1' }),
        409,
        'REVISION_CONFLICT',
      );
      expectProblem(
        await importTo(id, 'A=x', { expectedRevision: '-1' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it("takes a live export's ETag as If-Match: 412 PRECONDITION_FAILED once the namespace moved", async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ A: 'a' }));
      const exported = await exportOf(id);
      const etag = exported.headers.etag;
      await bulkSet(id, strings({ OTHER: 'meanwhile' }));
      const late = await sut
        .http()
        .post(`${API}/${id}/import`)
        .set('content-type', 'text/plain')
        .set('if-match', etag)
        .send('A=b\n');
      expectProblem(late, 412, 'PRECONDITION_FAILED');
      expect(bodyOf<ProblemDto>(late).revision).toBe(2);
      expect(await live(id)).toEqual([
        ['A', 1, '"a"'],
        ['OTHER', 1, '"meanwhile"'],
      ]);
      for (const ifMatch of ['"2"', 'W/"2"', '*', '"9", "2"']) {
        const res = await sut
          .http()
          .post(`${API}/${id}/import`)
          .query({ dryRun: 'true' })
          .set('content-type', 'text/plain')
          .set('if-match', ifMatch)
          .send('A=b\n');
        expect([ifMatch, res.status]).toEqual([ifMatch, 200]);
      }
    });

    it('tells a stranger nothing of revisions: a foreign namespace is missing at any revision, guards and hostile values are refused first', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ SECRET: 'hidden-value' }));
      const outsider = sut.http(await sut.tokens.mint({ applications: [uniqueApplicationId()] }));
      const foreignPast = await exportOf(id, { asOfRevision: '1' }, outsider);
      expectProblem(foreignPast, 404, 'NAMESPACE_NOT_FOUND');
      expect(foreignPast.headers['x-kv-revision']).toBeUndefined();
      const foreignGuarded = await importTo(id, 'A=x', { expectedRevision: '0' }, outsider);
      expectProblem(foreignGuarded, 404, 'NAMESPACE_NOT_FOUND');
      expect(JSON.stringify(foreignGuarded.body)).not.toMatch(/revision/);
      const writer = sut.http(await sut.tokens.only([KvPermission.EntryWrite]));
      expectProblem(await exportOf(id, { asOfRevision: '1' }, writer), 403, 'FORBIDDEN');
      for (const hostile of ['99999999999999999999', '1.5', '-1', 'abc', 'NaN']) {
        expectProblem(
          await importTo(id, 'A=x', { expectedRevision: hostile }),
          400,
          'VALIDATION_FAILED',
        );
        expectProblem(await exportOf(id, { asOfRevision: hostile }), 400, 'VALIDATION_FAILED');
      }
      const noAuth = await sut
        .http('')
        .post(`${API}/${id}/import`)
        .query({ expectedRevision: '1' })
        .set('content-type', 'text/plain')
        .send('A=x');
      expect(noAuth.status).toBe(401);
      expect(await live(id)).toEqual([['SECRET', 1, '"hidden-value"']]);
    });

    it('checks expectedRevision inside the transaction: of two racing imports at one revision, one wins', async () => {
      const { id } = await createNamespace(sut.http());
      await bulkSet(id, strings({ A: 'a' }));
      const results = await Promise.all(
        ['X', 'Y', 'Z', 'W'].map((name) => importTo(id, `${name}=1\n`, { expectedRevision: '1' })),
      );
      const statuses = results.map((res) => res.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      for (const res of results.filter((r) => r.status === 409)) {
        expect(bodyOf<ProblemDto>(res)).toMatchObject({ code: 'REVISION_CONFLICT', revision: 2 });
      }
      expect((await live(id)).length).toBe(2);
    });
  });
});
