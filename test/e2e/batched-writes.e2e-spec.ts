import { DataSource } from 'typeorm';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { namespaceBody } from '../utils/factories';

const API = '/api/v1/kv';

/** The figure of `kv_batched_write_fallbacks_total` for a reason in /metrics. */
async function fallbacks(sut: TestApp, reason: string): Promise<number> {
  const text = (await sut.http().get('/metrics')).text;
  const match = new RegExp(
    `^kv_batched_write_fallbacks_total\\{reason="${reason}"\\} (\\d+)$`,
    'm',
  ).exec(text);
  return match ? Number(match[1]) : 0;
}

describe('batched writes of plain entries', () => {
  let sut: TestApp;
  let namespaceId: string;
  let url: (key: string) => string;

  beforeAll(async () => {
    sut = await createTestApp();
    const created = await sut.http().post(`${API}/namespaces`).send(namespaceBody());
    namespaceId = created.body.id as string;
    url = (key) => `${API}/${namespaceId}/entries/${encodeURIComponent(key)}`;
  });

  afterAll(async () => {
    await sut.close();
  });

  it('counts the writes it leaves to the locking writer, which decides them', async () => {
    const before = await fallbacks(sut, 'undecided');
    const first = await sut.http().put(url('counted')).send({ value: 'a', valueType: 'STRING' });
    expect(first.status).toBe(201);
    expect(await fallbacks(sut, 'undecided')).toBe(before);

    // A version that does not match: the batch writes nothing, the locking writer answers 409.
    const stale = await sut
      .http()
      .put(url('counted'))
      .send({ value: 'b', valueType: 'STRING', expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(await fallbacks(sut, 'undecided')).toBe(before + 1);

    // A deleted entry's tombstone in the way: the locking writer revives it at the next version.
    expect((await sut.http().delete(url('counted'))).status).toBe(204);
    const revived = await sut.http().put(url('counted')).send({ value: 'c', valueType: 'STRING' });
    expect(revived.status).toBe(201);
    expect(revived.body).toMatchObject({ keyPath: 'counted', value: 'c', version: 2 });
    expect(await fallbacks(sut, 'undecided')).toBe(before + 2);
    expect(await fallbacks(sut, 'failed')).toBe(0);
  });

  it('announces each write with the event TypeScript built, its fields in their order', async () => {
    const first = await sut.http().put(url('ordered')).send({ value: 1, valueType: 'NUMBER' });
    const second = await sut.http().put(url('ordered')).send({ value: 2, valueType: 'NUMBER' });
    expect([first.status, second.status]).toEqual([201, 200]);
    const rows = await sut.app!.get(DataSource).query<{ routing_key: string; payload: string }[]>(
      `SELECT routing_key, payload FROM event_outbox
       WHERE namespace_id = $1 AND payload LIKE '%"ordered"%' ORDER BY id`,
      [namespaceId],
    );
    const events = rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>);
    for (const event of events) {
      expect(Object.keys(event)).toEqual([
        'eventId',
        'type',
        'occurredAt',
        'applicationId',
        'namespaceId',
        'entryId',
        'keyPath',
        'version',
        'actor',
        'revision',
      ]);
    }
    expect(rows.map((row) => row.routing_key)).toEqual(['kv.entry.created', 'kv.entry.updated']);
    expect(events).toEqual([
      expect.objectContaining({ type: 'kv.entry.created', entryId: first.body.id, version: 1 }),
      expect.objectContaining({ type: 'kv.entry.updated', entryId: first.body.id, version: 2 }),
    ]);
  });
});
