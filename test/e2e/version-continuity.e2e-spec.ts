import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { BulkDeleteResultDto, BulkSetResultDto, EntryDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

describe('a key deleted or expired and written again continues its versions', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  describe.each([
    ['plain', false],
    ['secret', true],
  ])('in a %s namespace', (_kind, isSecret) => {
    let ns: string;
    const { url, put } = entryRequests(
      () => sut,
      () => ns,
    );

    beforeEach(async () => {
      ns = (await createNamespace(sut.http(), { isSecretNamespace: isSecret })).id;
    });

    it('refuses a stale If-Match or expectedVersion after delete and re-create', async () => {
      expect(
        bodyOf<EntryDto>(await put('db/host', { value: 'a', valueType: 'STRING' })).version,
      ).toBe(1);
      expect((await sut.http().delete(url('db/host'))).status).toBe(204);
      const recreated = await put('db/host', { value: 'b', valueType: 'STRING' });
      expect(recreated.status).toBe(201);
      expect(bodyOf<EntryDto>(recreated).version).toBe(2);
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
      expect(bodyOf<EntryDto>(created).version).toBe(3);
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
      expect(bodyOf<EntryDto>(afterSweep).version).toBe(3);
      const overExpired = await put('unswept', { value: 2, valueType: 'NUMBER' });
      expect(overExpired.status).toBe(201);
      expect(bodyOf<EntryDto>(overExpired).version).toBe(2);
    });

    it('continues through bulk delete and bulk set, and bulk set over a single delete', async () => {
      await put('a', { value: 1, valueType: 'NUMBER' });
      await put('a', { value: 2, valueType: 'NUMBER' });
      await put('b', { value: 1, valueType: 'NUMBER' });
      const deleted = await sut
        .http()
        .post(`${API}/${ns}/bulk/delete`)
        .send({ keys: ['a'] });
      expect(bodyOf<BulkDeleteResultDto>(deleted).deleted).toEqual(['a']);
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
      expect(bodyOf<BulkSetResultDto>(set).items.map((item) => item.version)).toEqual([3, 2, 1]);
      await sut
        .http()
        .post(`${API}/${ns}/bulk/delete`)
        .send({ keys: ['a'] });
      expect(bodyOf<EntryDto>(await put('a', { value: 4, valueType: 'NUMBER' })).version).toBe(4);
    });

    it('keeps the entry id of the key, so its history stays one', async () => {
      const first = await put('same', { value: 1, valueType: 'NUMBER' });
      await sut.http().delete(url('same'));
      const again = await put('same', { value: 2, valueType: 'NUMBER' });
      expect(bodyOf<EntryDto>(again).id).toBe(bodyOf<EntryDto>(first).id);
    });
  });

  it('never repeats a version under concurrent deletes and re-creates', async () => {
    const ns = (await createNamespace(sut.http(), { isSecretNamespace: false })).id;
    const url = `${API}/${ns}/entries/raced`;
    const seen = new Set<number>();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 10; i += 1) {
          const res = await sut.http().put(url).send({ value: i, valueType: 'NUMBER' });
          if (res.status === 200 || res.status === 201) {
            expect(seen.has(bodyOf<EntryDto>(res).version)).toBe(false);
            seen.add(bodyOf<EntryDto>(res).version);
          }
          await sut.http().delete(url);
        }
      }),
    );
    expect(seen.size).toBeGreaterThan(10);
  });
});
