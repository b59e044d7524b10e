import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditRetention } from '../../src/audit/audit-retention.service';
import { TestApp, createTestApp } from '../utils/create-test-app';

const RETENTION_DAYS = 30;

describe('audit retention', () => {
  let sut: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    sut = await createTestApp({ env: { KV_AUDIT_RETENTION_DAYS: String(RETENTION_DAYS) } });
    dataSource = sut.app!.get(DataSource);
  });

  afterAll(async () => {
    await sut.close();
  });

  /** `count` audit rows of a namespace of their own, `ageDays` old by the database clock. */
  async function rows(count: number, ageDays: number): Promise<string> {
    const namespaceId = randomUUID();
    await dataSource.query(
      `INSERT INTO audit_log (id, namespace_id, action, success, status_code, request_id, timestamp)
       SELECT gen_random_uuid(), $1, 'READ', false, 401, 'retention', now() - make_interval(days => $2)
       FROM generate_series(1, $3)`,
      [namespaceId, ageDays, count],
    );
    return namespaceId;
  }

  const countOf = async (namespaceId: string): Promise<number> =>
    Number(
      (
        await dataSource.query<{ count: string }[]>(
          'SELECT count(*) FROM audit_log WHERE namespace_id = $1',
          [namespaceId],
        )
      )[0].count,
    );

  it('deletes the rows older than KV_AUDIT_RETENTION_DAYS, batch after batch, and keeps the rest', async () => {
    const expired = await rows(2500, RETENTION_DAYS + 1);
    const kept = await rows(10, RETENTION_DAYS - 1);

    expect(await sut.app!.get(AuditRetention).prune()).toBeGreaterThanOrEqual(2500);

    expect(await countOf(expired)).toBe(0);
    expect(await countOf(kept)).toBe(10);
  });
});
