import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { HistoryRetention } from '../../src/history/history-retention.service';
import { EntryDto, EntryPageDto, ProblemDto, RestorePlanDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const revisionOf = (res: Response): number => Number(res.headers['x-kv-revision']);

describe('history retention', () => {
  let sut: TestApp;
  let ns: string;
  const { put, url } = entryRequests(
    () => sut,
    () => ns,
  );
  const query = <T>(sql: string, params: unknown[] = []) =>
    sut.app!.get(DataSource).query<T[]>(sql, params);
  const prune = () => sut.app!.get(HistoryRetention).prune();
  const asOf = (at: number) =>
    sut.http().get(`${API}/${ns}/entries?includeValues=true&asOfRevision=${at}`);
  const stateAsOf = async (at: number) => {
    const res = await asOf(at);
    expect(res.status).toBe(200);
    return Object.fromEntries(
      bodyOf<EntryPageDto>(res).items.map((entry: EntryDto) => [entry.keyPath, entry.value]),
    );
  };
  /** Moves the history of revisions up to `revision` `days` into the past. */
  const backDate = async (revision: number, days: number) => {
    await query(
      `UPDATE entry_versions v SET created_at = v.created_at - make_interval(days => $3)
       FROM namespace_changes c
       WHERE c.namespace_id = $1 AND c.revision <= $2 AND v.entry_id = c.entry_id AND v.version = c.version`,
      [ns, revision, days],
    );
    await query(
      `UPDATE namespace_changes SET occurred_at = occurred_at - make_interval(days => $3)
       WHERE namespace_id = $1 AND revision <= $2`,
      [ns, revision, days],
    );
  };

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ns = (await createNamespace(sut.http(), { historyRetentionDays: 1 })).id;
  });

  it('compacts history past the retention: 410 naming the oldest readable revision, snapshots kept', async () => {
    await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({ entries: ['a', 'b', 'c'].map((key) => ({ key, value: 1, valueType: 'NUMBER' })) })
      .expect(200);
    await put('a', { value: 2, valueType: 'NUMBER' }).expect(200);
    await sut.http().post(`${API}/${ns}/snapshots`).send({ name: 'pin' }).expect(201);
    await put('a', { value: 3, valueType: 'NUMBER' }).expect(200);
    await sut.http().delete(url('b')).expect(204);
    await backDate(4, 2);
    await put('c', { value: 2, valueType: 'NUMBER' }).expect(200);
    expect(await stateAsOf(1)).toEqual({ a: 1, b: 1, c: 1 });

    const pruned = await prune();
    expect(pruned.changes).toBeGreaterThanOrEqual(1);
    expect(pruned.versions).toBeGreaterThanOrEqual(1);

    // Revision 4 is the last one past the retention: the oldest readable now.
    for (const at of [0, 1, 3]) {
      const gone = await asOf(at);
      expectProblem(gone, 410, 'REVISION_COMPACTED');
      expect(bodyOf<ProblemDto>(gone)).toMatchObject({ revision: 4 });
    }
    const one = await sut.http().get(`${url('a')}?asOfRevision=3`);
    expectProblem(one, 410, 'REVISION_COMPACTED');
    expect(bodyOf<ProblemDto>(one)).toMatchObject({ revision: 4 });
    const watch = await sut.http().get(`${API}/${ns}/changes?sinceRevision=3`);
    expectProblem(watch, 410, 'REVISION_COMPACTED');
    expect(bodyOf<ProblemDto>(watch)).toMatchObject({ revision: 4 });

    // From the resync point on, reads and the watch answer as before.
    expect(await stateAsOf(4)).toEqual({ a: 3, c: 1 });
    expect(await stateAsOf(5)).toEqual({ a: 3, c: 2 });
    const resumed = await sut.http().get(`${API}/${ns}/changes?sinceRevision=4`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      items: [{ revision: 5, keyPath: 'c', version: 2 }],
      revision: 5,
    });
    // The snapshot's revision stays readable, and restorable.
    expect(await stateAsOf(2)).toEqual({ a: 2, b: 1, c: 1 });
    const aAtPin = await sut.http().get(`${url('a')}?asOfRevision=2`);
    expect(aAtPin.status).toBe(200);
    expect(bodyOf<EntryDto>(aAtPin)).toMatchObject({ value: 2, version: 2 });

    // a's version 1 served no kept read; its current version and the pinned one stay.
    expectProblem(await sut.http().get(`${url('a')}/versions/1`), 404, 'VERSION_NOT_FOUND');
    expect((await sut.http().get(`${url('a')}/versions/2`)).body).toMatchObject({ value: 2 });
    expect((await sut.http().get(`${url('a')}/versions/3`)).body).toMatchObject({ value: 3 });

    const restored = await sut.http().post(`${API}/${ns}/restore`).send({ snapshot: 'pin' });
    expect(restored.status).toBe(200);
    expect(bodyOf<RestorePlanDto>(restored)).toMatchObject({
      fromRevision: 2,
      created: [{ key: 'b', version: 2 }],
      updated: [
        { key: 'a', version: 4 },
        { key: 'c', version: 3 },
      ],
    });
    expect(revisionOf(restored)).toBe(6);
    expect(await stateAsOf(6)).toEqual({ a: 2, b: 1, c: 1 });

    // A second pass finds nothing more to do.
    await prune();
    expect(await stateAsOf(2)).toEqual({ a: 2, b: 1, c: 1 });
    expect(await stateAsOf(4)).toEqual({ a: 3, c: 1 });
  });

  it('keeps nothing of a deleted key once past the retention, and every current version', async () => {
    await put('gone', { value: 'x', valueType: 'STRING' }).expect(201);
    await put('gone', { value: 'y', valueType: 'STRING' }).expect(200);
    await sut.http().delete(url('gone')).expect(204);
    await put('kept', { value: 'only', valueType: 'STRING' }).expect(201);
    await backDate(4, 2);
    await prune();

    const changes = await query<{ key_path: string }>(
      'SELECT key_path FROM namespace_changes WHERE namespace_id = $1',
      [ns],
    );
    expect(changes.map((row) => row.key_path)).toEqual(['kept']);
    // No change after 4: the namespace's current revision is the oldest readable.
    expect(await stateAsOf(4)).toEqual({ kept: 'only' });
    expectProblem(await asOf(3), 410, 'REVISION_COMPACTED');
    expect((await sut.http().get(`${url('kept')}/versions/1`)).body).toMatchObject({
      value: 'only',
    });
    const listed = await sut.http().get(`${API}/${ns}/entries?includeValues=true`);
    expect(bodyOf<EntryPageDto>(listed).items).toEqual([
      expect.objectContaining({ keyPath: 'kept', value: 'only', modRevision: 4 }),
    ]);
  });

  it('leaves a namespace within its retention alone, and takes the setting on update', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' }).expect(201);
    await put('k', { value: 2, valueType: 'NUMBER' }).expect(200);
    await prune();
    expect(await stateAsOf(1)).toEqual({ k: 1 });

    const updated = await sut
      .http()
      .put(`${API}/namespaces/${ns}`)
      .send({ historyRetentionDays: 90 });
    expect(updated.body).toMatchObject({ historyRetentionDays: 90 });
    await backDate(1, 30);
    await prune();
    expect(await stateAsOf(1)).toEqual({ k: 1 });
    for (const bad of [0, -1, 1.5, 'x', 36_501]) {
      expectProblem(
        await sut.http().put(`${API}/namespaces/${ns}`).send({ historyRetentionDays: bad }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});
