import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { TtlSweeper } from '../../src/entries/store/ttl-sweeper.service';
import { BulkSetResultDto, EntryDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const revisionOf = (res: Response): number => Number(res.headers['x-kv-revision']);

describe('namespace revisions', () => {
  let sut: TestApp;
  let ns: string;
  const { url, put, get } = entryRequests(
    () => sut,
    () => ns,
  );
  const query = <T>(sql: string, params: unknown[] = []) =>
    sut.app!.get(DataSource).query<T[]>(sql, params);
  /** The distinct revisions the namespace's history holds, in order. */
  const historyRevisions = async () =>
    (
      await query<{ revision: string }>(
        'SELECT DISTINCT revision FROM namespace_changes WHERE namespace_id = $1 ORDER BY revision',
        [ns],
      )
    ).map((row) => Number(row.revision));

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ns = (await createNamespace(sut.http())).id;
  });

  it('starts at 0 and rises by one per change: put, bulk set, delete, bulk delete', async () => {
    const listed = await sut.http().get(`${API}/${ns}/entries`);
    expect(listed.status).toBe(200);
    expect(revisionOf(listed)).toBe(0);

    const first = await put('a', { value: 1, valueType: 'NUMBER' });
    expect(revisionOf(first)).toBe(1);
    expect(bodyOf<EntryDto>(first)).toMatchObject({ createRevision: 1, modRevision: 1 });
    const second = await put('a', { value: 2, valueType: 'NUMBER' });
    expect(revisionOf(second)).toBe(2);
    expect(bodyOf<EntryDto>(second)).toMatchObject({ createRevision: 1, modRevision: 2 });

    const bulk = await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({
        entries: ['a', 'b', 'c'].map((key) => ({ key, value: key, valueType: 'STRING' })),
      });
    expect(bulk.status).toBe(200);
    expect(revisionOf(bulk)).toBe(3);
    expect(
      bodyOf<BulkSetResultDto>(bulk).items.map((e) => [e.keyPath, e.createRevision, e.modRevision]),
    ).toEqual([
      ['a', 1, 3],
      ['b', 3, 3],
      ['c', 3, 3],
    ]);

    const deleted = await sut.http().delete(url('b'));
    expect(deleted.status).toBe(204);
    expect(revisionOf(deleted)).toBe(4);
    const bulkDeleted = await sut
      .http()
      .post(`${API}/${ns}/bulk/delete`)
      .send({ keys: ['a', 'c', 'missing'] });
    expect(bulkDeleted.body).toEqual({ deleted: ['a', 'c'], missing: ['missing'] });
    expect(revisionOf(bulkDeleted)).toBe(5);
    // A call that changes nothing makes no revision, and answers the current one.
    const nothing = await sut
      .http()
      .post(`${API}/${ns}/bulk/delete`)
      .send({ keys: ['a'] });
    expect(nothing.body).toEqual({ deleted: [], missing: ['a'] });
    expect(revisionOf(nothing)).toBe(5);

    const again = await put('b', { value: 'again', valueType: 'STRING' });
    expect(bodyOf<EntryDto>(again)).toMatchObject({
      version: 2,
      createRevision: 6,
      modRevision: 6,
    });
    expect(await historyRevisions()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers every read with the revision it reflects: get, 304, list, bulk get', async () => {
    await put('x', { value: 'one', valueType: 'STRING' });
    await put('y', { value: 'two', valueType: 'STRING' });
    const read = await get('x');
    expect(read.body).toMatchObject({ value: 'one', createRevision: 1, modRevision: 1 });
    expect(revisionOf(read)).toBe(2);
    const notModified = await sut.http().get(url('x')).set('if-none-match', '"1"');
    expect(notModified.status).toBe(304);
    expect(revisionOf(notModified)).toBe(2);
    const listed = await sut.http().get(`${API}/${ns}/entries?includeValues=true`);
    expect(revisionOf(listed)).toBe(2);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ keyPath: 'x', createRevision: 1, modRevision: 1 }),
      expect.objectContaining({ keyPath: 'y', createRevision: 2, modRevision: 2 }),
    ]);
    const many = await sut
      .http()
      .post(`${API}/${ns}/bulk/get`)
      .send({ keys: ['x', 'nope'] });
    expect(many.body.missing).toEqual(['nope']);
    expect(revisionOf(many)).toBe(2);
    const none = await sut
      .http()
      .post(`${API}/${ns}/bulk/get`)
      .send({ keys: ['nope'] });
    expect(none.body).toEqual({ items: [], missing: ['nope'] });
    expect(revisionOf(none)).toBe(2);
  });

  it('spends no revision on a refused write', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' });
    expectProblem(
      await put('k', { value: 2, valueType: 'NUMBER', expectedVersion: 7 }),
      409,
      'VERSION_CONFLICT',
    );
    expectProblem(
      await sut.http().put(url('k')).set('if-match', '"9"').send({ value: 3, valueType: 'NUMBER' }),
      412,
      'PRECONDITION_FAILED',
    );
    expect(revisionOf(await put('k', { value: 4, valueType: 'NUMBER' }))).toBe(2);
    expect(await historyRevisions()).toEqual([1, 2]);
  });

  it('gives concurrent writes batched together one revision per committed batch, with no gap', async () => {
    const writes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        put(`k${i % 20}`, { value: i, valueType: 'NUMBER' }).expect((res) => {
          expect([200, 201]).toContain(res.status);
        }),
      ),
    );
    const made = new Set(writes.map(revisionOf));
    const history = await historyRevisions();
    const last = history[history.length - 1];
    // Fewer revisions than writes would show batching; what must hold is no gap and no repeat.
    expect(history).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect([...made].sort((a, b) => a - b)).toEqual(history);
    const [counter] = await query<{ revision: string }>(
      'SELECT revision FROM namespace_revisions WHERE namespace_id = $1',
      [ns],
    );
    expect(Number(counter.revision)).toBe(last);
  });

  it('gives an expiry sweep batch one revision, and puts the revision in every event', async () => {
    await put('t1', { value: 1, valueType: 'NUMBER', ttlSeconds: 3600 });
    await put('t2', { value: 2, valueType: 'NUMBER', ttlSeconds: 3600 });
    await query(
      `UPDATE entries SET expires_at = now() - interval '1 second' WHERE namespace_id = $1`,
      [ns],
    );
    await sut.app!.get(TtlSweeper).sweep();
    expect(await historyRevisions()).toEqual([1, 2, 3]);
    const events = await query<{ routing_key: string; payload: string }>(
      `SELECT routing_key, payload FROM event_outbox WHERE namespace_id = $1 ORDER BY id`,
      [ns],
    );
    expect(
      events.map((e) => [e.routing_key, (JSON.parse(e.payload) as { revision: number }).revision]),
    ).toEqual([
      ['kv.namespace.created', 0],
      ['kv.entry.created', 1],
      ['kv.entry.created', 2],
      ['kv.entry.expired', 3],
      ['kv.entry.expired', 3],
    ]);
    expect((await get('t1')).status).toBe(404);
  });

  it('counts rotate and rollback of a secret as one revision each, without a value in history', async () => {
    ns = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    await put('s', { value: 'one', valueType: 'STRING' });
    const rotated = await sut
      .http()
      .post(`${url('s')}/rotate`)
      .send({ value: 'two' });
    expect(rotated.status).toBe(200);
    expect(revisionOf(rotated)).toBe(2);
    const rolled = await sut
      .http()
      .post(`${url('s')}/rollback`)
      .send({ version: 1 });
    expect(rolled.status).toBe(200);
    expect(revisionOf(rolled)).toBe(3);
    expect(bodyOf<EntryDto>(rolled)).toMatchObject({
      version: 3,
      createRevision: 1,
      modRevision: 3,
    });
    const changes = await query<Record<string, unknown>>(
      'SELECT type, revision, version FROM namespace_changes WHERE namespace_id = $1 ORDER BY revision',
      [ns],
    );
    expect(changes).toEqual([
      { type: 'kv.entry.created', revision: '1', version: 1 },
      { type: 'kv.entry.rotated', revision: '2', version: 2 },
      { type: 'kv.entry.rolled_back', revision: '3', version: 3 },
    ]);
  });
});
