import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';
import { SseClient, SseEvent } from '../utils/sse-client';

interface Change {
  revision: number;
  type: string;
  keyPath: string;
  entryId: string;
  version: number;
  occurredAt: string;
  actor: string;
}
interface ChangesPage {
  items: Change[];
  revision: number;
}

/** The revisions of a stream's change events, in order of arrival. */
const changeRevisions = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'change').map((e) => Number(e.id));

describe('the watch: GET /{nsId}/changes, long-poll and Server-Sent Events', () => {
  let sut: TestApp;
  let ns: string;
  let applicationId: string;
  const { url, put } = entryRequests(
    () => sut,
    () => ns,
  );
  const changes = (query: Record<string, unknown>, token?: string) =>
    sut.http(token).get(`${API}/${ns}/changes`).query(query);
  const stream = async (headers: Record<string, string> = {}, query = '') =>
    SseClient.open(`${await sut.url()}${API}/${ns}/changes${query}`, {
      authorization: `Bearer ${sut.adminToken}`,
      ...headers,
    });

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ({ id: ns, applicationId } = await createNamespace(sut.http()));
  });

  it('answers the changes after a revision at once, in order, without values', async () => {
    const marker = `value-${randomUUID()}`;
    const created = await put('db/host', { value: marker, valueType: 'STRING' });
    await put('db/host', { value: 'two', valueType: 'STRING' });
    await sut.http().delete(url('db/host')).expect(204);
    const res = await changes({ sinceRevision: 0 });
    expect(res.status).toBe(200);
    expect(res.headers['x-kv-revision']).toBe('3');
    expect(JSON.stringify(res.body)).not.toContain(marker);
    expect(bodyOf<ChangesPage>(res)).toEqual({
      items: [
        ['kv.entry.created', 1, 1],
        ['kv.entry.updated', 2, 2],
        ['kv.entry.deleted', 3, 2],
      ].map(([type, revision, version]) => ({
        revision,
        type,
        keyPath: 'db/host',
        entryId: created.body.id,
        version,
        occurredAt: expect.any(String),
        actor: 'test-admin',
      })),
      revision: 3,
    });
    expect(bodyOf<ChangesPage>(await changes({ sinceRevision: 2 })).items).toHaveLength(1);
    expect(bodyOf<ChangesPage>(await changes({ sinceRevision: 3 }))).toEqual({
      items: [],
      revision: 3,
    });
    // Without sinceRevision: what comes after now.
    expect(bodyOf<ChangesPage>(await changes({}))).toEqual({ items: [], revision: 3 });
  });

  it('never splits a revision across answers, and filters by prefix without losing its place', async () => {
    await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({
        entries: ['a/1', 'a/2', 'a/3', 'b/1'].map((key) => ({
          key,
          value: 1,
          valueType: 'NUMBER',
        })),
      })
      .expect(200);
    await put('b/2', { value: 2, valueType: 'NUMBER' });
    await put('a/4', { value: 2, valueType: 'NUMBER' });
    const first = bodyOf<ChangesPage>(await changes({ sinceRevision: 0, limit: 2 }));
    expect(first.items.map((c) => [c.revision, c.keyPath])).toEqual([
      [1, 'a/1'],
      [1, 'a/2'],
      [1, 'a/3'],
      [1, 'b/1'],
    ]);
    expect(first.revision).toBe(1);
    const next = bodyOf<ChangesPage>(await changes({ sinceRevision: 1, limit: 2 }));
    expect(next.items.map((c) => c.revision)).toEqual([2, 3]);
    expect(next.revision).toBe(3);
    const underA = bodyOf<ChangesPage>(await changes({ sinceRevision: 1, prefix: 'a/' }));
    expect(underA).toEqual({
      items: [expect.objectContaining({ revision: 3, keyPath: 'a/4' })],
      revision: 3,
    });
    const underC = bodyOf<ChangesPage>(await changes({ sinceRevision: 0, prefix: 'c/' }));
    expect(underC).toEqual({ items: [], revision: 3 });
  });

  it('waits for the next change (long-poll), and answers nothing when none comes in time', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' });
    const waiting = changes({ sinceRevision: 1, waitSeconds: 30 });
    const answered = waiting.then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await put('k', { value: 2, valueType: 'NUMBER' });
    const res = await answered;
    expect(bodyOf<ChangesPage>(res).items.map((c) => [c.revision, c.version])).toEqual([[2, 2]]);
    expect(bodyOf<ChangesPage>(res).revision).toBe(2);
    const nothing = await changes({ sinceRevision: 2, waitSeconds: 1 });
    expect(bodyOf<ChangesPage>(nothing)).toEqual({ items: [], revision: 2 });
  });

  it('refuses bad input, a future revision, a caller without permission or of another application; audits one WATCH row per request', async () => {
    await put('k', { value: 1, valueType: 'NUMBER' });
    for (const query of [
      { sinceRevision: -1 },
      { sinceRevision: 'x' },
      { limit: 0 },
      { limit: 1001 },
      { waitSeconds: 61 },
      { unknown: 1 },
    ]) {
      expectProblem(await changes(query), 400, 'VALIDATION_FAILED');
    }
    expectProblem(await changes({ sinceRevision: 2 }), 400, 'VALIDATION_FAILED');
    const writer = await sut.tokens.only([KvPermission.EntryRead, KvPermission.EntryWrite]);
    expectProblem(await changes({}, writer), 403, 'FORBIDDEN');
    const stranger = await sut.tokens.only([KvPermission.NamespaceRead], ['another-application']);
    expectProblem(await changes({}, stranger), 404, 'NAMESPACE_NOT_FOUND');
    expectProblem(
      await sut.http().get(`${API}/${randomUUID()}/changes`),
      404,
      'NAMESPACE_NOT_FOUND',
    );
    expectProblem(await sut.http('').get(`${API}/${ns}/changes`), 401, 'UNAUTHORIZED');

    const sub = `watcher-${randomUUID()}`;
    const watcher = await sut.tokens.mint({
      sub,
      permissions: [KvPermission.NamespaceRead],
      applications: [applicationId],
    });
    await changes({ sinceRevision: 0 }, watcher).expect(200);
    await changes({ sinceRevision: 1, waitSeconds: 1 }, watcher).expect(200);
    const events = await stream({ authorization: `Bearer ${watcher}` }, '?sinceRevision=0');
    await events.until((all) => changeRevisions(all).includes(1));
    await put('k', { value: 2, valueType: 'NUMBER' });
    await events.until((all) => changeRevisions(all).includes(2));
    events.close();
    const rows = bodyOf<AuditPageDto>(
      await sut.http().get(`${API}/audit`).query({ userId: sub }),
    ).items;
    expect(rows.map((r) => [r.action, r.namespaceId, r.success, r.statusCode])).toEqual([
      ['WATCH', ns, true, 200],
      ['WATCH', ns, true, 200],
      ['WATCH', ns, true, 200],
    ]);
  });

  it('answers 410 with the oldest readable revision for a position older than the history kept', async () => {
    for (const value of [1, 2, 3]) {
      await put('k', { value, valueType: 'NUMBER' });
    }
    await sut
      .app!.get(DataSource)
      .query('UPDATE namespace_revisions SET compacted_revision = 2 WHERE namespace_id = $1', [ns]);
    const gone = await changes({ sinceRevision: 1 });
    expectProblem(gone, 410, 'REVISION_COMPACTED');
    expect(gone.body.revision).toBe(2);
    expect(bodyOf<ChangesPage>(await changes({ sinceRevision: 2 })).items).toHaveLength(1);
    const events = await stream({ 'last-event-id': '1' });
    expect(events.status).toBe(410);
    expect(JSON.parse(events.body)).toMatchObject({ code: 'REVISION_COMPACTED', revision: 2 });
  });

  it('streams each revision once as an event with its revision as id, and resumes after Last-Event-ID', async () => {
    await put('s', { value: 0, valueType: 'NUMBER' });
    const first = await stream({}, '?sinceRevision=0');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(first.headers['x-kv-revision']).toBe('1');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['x-request-id']).toEqual(expect.any(String));
    await first.until((events) => changeRevisions(events).includes(1));
    await sut
      .http()
      .post(`${API}/${ns}/bulk/set`)
      .send({ entries: [1, 2].map((i) => ({ key: `s${i}`, value: i, valueType: 'NUMBER' })) })
      .expect(200);
    await first.until((events) => changeRevisions(events).includes(2));
    const event = first.events.find((e) => e.id === '2')!;
    expect(event.event).toBe('change');
    expect(event.data).toEqual({
      revision: 2,
      items: ['s1', 's2'].map((keyPath) => expect.objectContaining({ revision: 2, keyPath })),
    });
    first.close();
    // Changes made while no one watched arrive on resumption, once each, in order.
    for (const value of [3, 4, 5]) {
      await put('s', { value, valueType: 'NUMBER' });
    }
    const resumed = await stream({ 'last-event-id': '2' }, '?sinceRevision=0');
    await resumed.until((events) => changeRevisions(events).includes(5));
    await put('s', { value: 6, valueType: 'NUMBER' });
    await resumed.until((events) => changeRevisions(events).includes(6));
    expect(changeRevisions(resumed.events)).toEqual([3, 4, 5, 6]);
    resumed.close();
    expectProblem(
      await sut
        .http()
        .get(`${API}/${ns}/changes`)
        .set('accept', 'text/event-stream')
        .set('last-event-id', 'nope'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('moves a filtered stream past revisions with nothing under its prefix, by heartbeats', async () => {
    const events = await stream({}, '?prefix=watched/');
    await events.until((all) => all.some((e) => e.event === 'heartbeat'));
    expect(events.events[0]).toEqual({ event: 'heartbeat', id: '0', data: { revision: 0 } });
    await put('other', { value: 1, valueType: 'NUMBER' });
    await events.until((all) => all.some((e) => e.event === 'heartbeat' && e.id === '1'));
    await put('watched/a', { value: 1, valueType: 'NUMBER' });
    await events.until((all) => changeRevisions(all).includes(2));
    expect(events.events.filter((e) => e.event === 'change')).toEqual([
      expect.objectContaining({
        id: '2',
        data: { revision: 2, items: [expect.objectContaining({ keyPath: 'watched/a' })] },
      }),
    ]);
    events.close();
  });
});

describe('the watch within its bounds', () => {
  let sut: TestApp;
  let ns: string;

  beforeAll(async () => {
    sut = await createTestApp({
      env: { KV_MAX_WATCHERS: '2', KV_WATCHER_BUFFER_BYTES: '1024' },
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    ns = (await createNamespace(sut.http())).id;
  });

  const open = async (headers: Record<string, string> = {}) =>
    SseClient.open(`${await sut.url()}${API}/${ns}/changes?sinceRevision=0`, {
      authorization: `Bearer ${sut.adminToken}`,
      ...headers,
    });

  it('refuses a watcher past KV_MAX_WATCHERS with 503, and counts a closed one out', async () => {
    const one = await open();
    const two = await open();
    expect([one.status, two.status]).toEqual([200, 200]);
    expectProblem(await sut.http().get(`${API}/${ns}/changes`), 503, 'SERVICE_UNAVAILABLE');
    one.close();
    let answered = 0;
    for (let i = 0; i < 100 && answered !== 200; i += 1) {
      answered = (await sut.http().get(`${API}/${ns}/changes`)).status;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered).toBe(200);
    two.close();
  });

  it('cuts a slow consumer with the revision to resume from, and loses nothing on resumption', async () => {
    const slow = await open();
    await slow.until((events) => events.length > 0);
    slow.pause();
    const key = (i: number) => `${'k'.repeat(500)}/${i}`;
    const batches = 20;
    // Straight through fetch: each answer lists a thousand long keys, which the spec check of
    // every supertest answer would take seconds over.
    const base = await sut.url();
    for (let b = 0; b < batches; b += 1) {
      const res = await fetch(`${base}${API}/${ns}/bulk/set`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sut.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          entries: Array.from({ length: 1000 }, (_, i) => ({
            key: key(i),
            value: b,
            valueType: 'NUMBER',
          })),
        }),
      });
      expect(res.status).toBe(200);
    }
    slow.resume();
    await slow.whenEnded();
    const last = slow.events[slow.events.length - 1];
    expect(last.event).toBe('overflow');
    const received = changeRevisions(slow.events);
    expect(received.length).toBeLessThan(batches);
    expect(last.data).toEqual({
      revision: received.length === 0 ? 0 : received[received.length - 1],
    });
    const resumed = await open({
      'last-event-id': String((last.data as { revision: number }).revision),
    });
    await resumed.until((events) => changeRevisions(events).includes(batches));
    resumed.close();
    const all = [...received, ...changeRevisions(resumed.events)];
    expect(all).toEqual(Array.from({ length: batches }, (_, i) => i + 1));
  });
});

describe('the watch across replicas', () => {
  /** What other replicas promise for a commit to reach them (the change feed's bound). */
  const REPLICA_BOUND_MS = 1000;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    one = await createTestApp({ ownDatabase: true });
    const { url } = one.app!.get(DataSource).options as { url: string };
    two = await createTestApp({ env: { DATABASE_URL: url, AUTH_JWT_SECRET: one.tokens.secret } });
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('brings a change committed on one replica to the watchers of another within 1 s', async () => {
    const ns = (await createNamespace(one.http())).id;
    const stream = await SseClient.open(`${await two.url()}${API}/${ns}/changes`, {
      authorization: `Bearer ${two.adminToken}`,
    });
    await stream.until((events) => events.length > 0);
    for (let revision = 1; revision <= 3; revision += 1) {
      const waiting = two
        .http()
        .get(`${API}/${ns}/changes`)
        .query({
          sinceRevision: revision - 1,
          waitSeconds: 30,
        });
      const answered = waiting.then((res) => ({ res, at: Date.now() }));
      // Let the long-poll reach its wait before the write.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await one
        .http()
        .put(`${API}/${ns}/entries/k`)
        .send({ value: revision, valueType: 'NUMBER' })
        .expect(revision === 1 ? 201 : 200);
      const committed = Date.now();
      const { res, at } = await answered;
      expect(bodyOf<ChangesPage>(res).items.map((c) => c.revision)).toEqual([revision]);
      expect(at - committed).toBeLessThan(REPLICA_BOUND_MS);
      await stream.until((events) => changeRevisions(events).includes(revision), REPLICA_BOUND_MS);
    }
    expect(changeRevisions(stream.events)).toEqual([1, 2, 3]);
    stream.close();
  });
});
