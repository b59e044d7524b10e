import request from 'supertest';
import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { expectEventually } from '../utils/expect-eventually';
import { namespaceBody } from '../utils/factories';

const API = '/api/v1/kv';

describe('a key deleted or expired and written again continues its versions', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  const createNamespace = async (isSecretNamespace: boolean): Promise<string> =>
    (await sut.http().post(`${API}/namespaces`).send(namespaceBody({ isSecretNamespace }))).body.id;

  function expectProblem(res: request.Response, status: number, code: string): void {
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  }

  describe.each([
    ['plain', false],
    ['secret', true],
  ])('in a %s namespace', (_kind, isSecret) => {
    let ns: string;
    const url = (key: string) => `${API}/${ns}/entries/${key}`;
    const put = (key: string, body: Record<string, unknown>) => sut.http().put(url(key)).send(body);

    beforeEach(async () => {
      ns = await createNamespace(isSecret);
    });

    it('refuses a stale If-Match or expectedVersion after delete and re-create', async () => {
      expect((await put('db/host', { value: 'a', valueType: 'STRING' })).body.version).toBe(1);
      expect((await sut.http().delete(url('db/host'))).status).toBe(204);
      const recreated = await put('db/host', { value: 'b', valueType: 'STRING' });
      expect(recreated.status).toBe(201);
      expect(recreated.body.version).toBe(2);
      expect(recreated.headers.etag).toBe('"2"');
      expectProblem(
        await sut
          .http()
          .put(url('db/host'))
          .set('if-match', '"1"')
          .send({ value: 'stale', valueType: 'STRING' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await put('db/host', { value: 'stale', valueType: 'STRING', expectedVersion: 1 }),
        409,
        'VERSION_CONFLICT',
      );
      expectProblem(
        await sut.http().delete(url('db/host')).set('if-match', '"1"'),
        412,
        'PRECONDITION_FAILED',
      );
      expect((await sut.http().get(url('db/host'))).body).toMatchObject({ value: 'b', version: 2 });
    });

    it('creates a deleted key with expectedVersion 0, after its last version', async () => {
      await put('k', { value: 1, valueType: 'NUMBER' });
      await put('k', { value: 2, valueType: 'NUMBER' });
      await sut.http().delete(url('k'));
      expectProblem(
        await put('k', { value: 3, valueType: 'NUMBER', expectedVersion: 2 }),
        409,
        'VERSION_CONFLICT',
      );
      const created = await put('k', { value: 3, valueType: 'NUMBER', expectedVersion: 0 });
      expect(created.status).toBe(201);
      expect(created.body.version).toBe(3);
      expectProblem(
        await put('k', { value: 4, valueType: 'NUMBER', expectedVersion: 0 }),
        409,
        'VERSION_CONFLICT',
      );
    });

    it('continues after an expired entry, swept or not', async () => {
      await put('swept', { value: 1, valueType: 'NUMBER' });
      await put('swept', { value: 2, valueType: 'NUMBER', ttlSeconds: 1 });
      await put('unswept', { value: 1, valueType: 'NUMBER', ttlSeconds: 1 });
      await expectEventually(async () =>
        expectProblem(await sut.http().get(url('unswept')), 404, 'ENTRY_NOT_FOUND'),
      );
      // One is removed by the sweeper, the other by the write that finds it expired.
      await sut.app!.get(DataSource).query(
        `UPDATE entries SET expires_at = now() + interval '1 hour'
         WHERE namespace_id = $1 AND key_path = 'unswept'`,
        [ns],
      );
      await sut.app!.get(TtlSweeper).sweep();
      await sut.app!.get(DataSource).query(
        `UPDATE entries SET expires_at = now() - interval '1 second'
         WHERE namespace_id = $1 AND key_path = 'unswept'`,
        [ns],
      );
      const afterSweep = await put('swept', { value: 3, valueType: 'NUMBER' });
      expect(afterSweep.status).toBe(201);
      expect(afterSweep.body.version).toBe(3);
      const overExpired = await put('unswept', { value: 2, valueType: 'NUMBER' });
      expect(overExpired.status).toBe(201);
      expect(overExpired.body.version).toBe(2);
    });

    it('continues through bulk delete and bulk set, and bulk set over a single delete', async () => {
      await put('a', { value: 1, valueType: 'NUMBER' });
      await put('a', { value: 2, valueType: 'NUMBER' });
      await put('b', { value: 1, valueType: 'NUMBER' });
      const deleted = await sut
        .http()
        .post(`${API}/${ns}/bulk/delete`)
        .send({ keys: ['a'] });
      expect(deleted.body.deleted).toEqual(['a']);
      await sut.http().delete(url('b'));
      const set = await sut
        .http()
        .post(`${API}/${ns}/bulk/set`)
        .send({
          entries: [
            { key: 'a', value: 3, valueType: 'NUMBER', expectedVersion: 0 },
            { key: 'b', value: 2, valueType: 'NUMBER' },
            { key: 'c', value: 1, valueType: 'NUMBER' },
          ],
        });
      expect(set.status).toBe(200);
      expect(set.body.items.map((item: { version: number }) => item.version)).toEqual([3, 2, 1]);
      await sut
        .http()
        .post(`${API}/${ns}/bulk/delete`)
        .send({ keys: ['a'] });
      expect((await put('a', { value: 4, valueType: 'NUMBER' })).body.version).toBe(4);
    });

    it('keeps the entry id of the key, so its history stays one', async () => {
      const first = await put('same', { value: 1, valueType: 'NUMBER' });
      await sut.http().delete(url('same'));
      const again = await put('same', { value: 2, valueType: 'NUMBER' });
      expect(again.body.id).toBe(first.body.id);
    });
  });

  it('never repeats a version under concurrent deletes and re-creates', async () => {
    const ns = await createNamespace(false);
    const url = `${API}/${ns}/entries/raced`;
    const seen = new Set<number>();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 10; i += 1) {
          const res = await sut.http().put(url).send({ value: i, valueType: 'NUMBER' });
          if (res.status === 200 || res.status === 201) {
            expect(seen.has(res.body.version)).toBe(false);
            seen.add(res.body.version);
          }
          await sut.http().delete(url);
        }
      }),
    );
    expect(seen.size).toBeGreaterThan(10);
  });
});
