import { DataSource } from 'typeorm';
import { ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace, namespaceBody } from '../utils/factories';

const BASE = '/api/v1/kv/namespaces';

describe('audit fails closed', () => {
  let sut: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    sut = await createTestApp({ ownDatabase: true });
    dataSource = sut.app!.get(DataSource);
  });

  afterAll(async () => {
    await sut.close();
  });

  afterEach(async () => {
    await dataSource.query('ALTER TABLE IF EXISTS audit_log_unwritable RENAME TO audit_log');
  });

  it('refuses a change whose audit row cannot be written, and changes nothing', async () => {
    await dataSource.query('ALTER TABLE audit_log RENAME TO audit_log_unwritable');
    const body = namespaceBody();
    const res = await sut.http().post(BASE).send(body);
    expect(res.status).toBe(503);
    expect(bodyOf<ProblemDto>(res).code).toBe('SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeDefined();
    expect(await dataSource.query('SELECT 1 FROM namespaces WHERE name = $1', [body.name])).toEqual(
      [],
    );
  });

  it('refuses a read whose audit row cannot be written', async () => {
    const created = await createNamespace(sut.http());
    await dataSource.query('ALTER TABLE audit_log RENAME TO audit_log_unwritable');
    const res = await sut.http().get(`${BASE}/${created.id}`);
    expect(res.status).toBe(503);
    expect(bodyOf<ProblemDto>(res).code).toBe('SERVICE_UNAVAILABLE');
  });
});
