import request from 'supertest';
import { DataSource } from 'typeorm';
import { EntryDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';

describe('readiness follows the requests', () => {
  let sut: TestApp;
  let namespaceId: string;

  beforeAll(async () => {
    sut = await createTestApp({ ownDatabase: true });
    namespaceId = (await createNamespace(sut.http())).id;
    await sut
      .http()
      .put(`${API}/${namespaceId}/entries/config/host`)
      .send({ value: 'db', valueType: 'STRING' });
  });

  afterAll(() => sut?.close());

  it('is 503 while reads fail for a database reason, though a ping gets through, and 200 once they succeed', async () => {
    const dataSource = sut.app!.get(DataSource);
    expect((await request(sut.target).get('/health/ready')).status).toBe(200);

    await dataSource.query('ALTER TABLE audit_log RENAME TO audit_log_gone');
    try {
      const read = await sut.http().get(`${API}/${namespaceId}/entries/config/host`);
      expect(read.status).toBe(503);
      expect(bodyOf<ProblemDto>(read).code).toBe('SERVICE_UNAVAILABLE');

      const ready = await request(sut.target).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.details.database.status).toBe('up');
      expect(ready.body.details.queries).toEqual({
        status: 'down',
        message: 'a request failed with 42P01',
      });
    } finally {
      await dataSource.query('ALTER TABLE audit_log_gone RENAME TO audit_log');
    }

    const read = await sut.http().get(`${API}/${namespaceId}/entries/config/host`);
    expect(read.status).toBe(200);
    expect(bodyOf<EntryDto>(read).value).toBe('db');
    const ready = await request(sut.target).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.queries).toEqual({ status: 'up' });
  });
});
