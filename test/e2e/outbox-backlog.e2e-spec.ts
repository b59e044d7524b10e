import { Logger } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OUTBOX_WARN_PENDING, OutboxWatch } from '../../src/events/outbox-watch.service';
import { TestApp, createTestApp } from '../utils/create-test-app';

// Without a broker, as a service started without RABBITMQ_URL: events only accumulate.
describe('an outbox that grows without a broker', () => {
  let sut: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    sut = await createTestApp({ ownDatabase: true });
    dataSource = sut.app!.get(DataSource);
  });

  afterAll(() => sut?.close());

  async function backlog(events: number): Promise<void> {
    await dataSource.query(
      `INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
       SELECT gen_random_uuid(), 'kv.entry.updated', 'k' || n, '{}', NULL, txid_current()
       FROM generate_series(1, $1) AS n`,
      [events],
    );
  }

  async function pendingMetric(): Promise<number> {
    const res = await request(sut.target).get('/metrics');
    return Number(/^kv_outbox_pending_events (\d+)$/m.exec(res.text)?.[1]);
  }

  it('reports its size at every scrape without counting a large backlog row by row, and warns past the bound', async () => {
    await backlog(3);
    expect(await pendingMetric()).toBe(3);

    await backlog(OUTBOX_WARN_PENDING);
    expect(await pendingMetric()).toBe(OUTBOX_WARN_PENDING + 3);
    const [plan] = await dataSource.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT min(id), max(id) FROM event_outbox WHERE sent_at IS NULL`,
    );
    expect(plan['QUERY PLAN']).not.toMatch(/Seq Scan|Aggregate/);

    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      expect(await sut.app!.get(OutboxWatch).check()).toBe(OUTBOX_WARN_PENDING + 3);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/^100003 change events wait in the outbox, the oldest for \d+ s/),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
