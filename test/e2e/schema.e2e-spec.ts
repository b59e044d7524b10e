import { DataSource } from 'typeorm';
import { TestApp, createTestApp } from '../utils/create-test-app';

describe('schema', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('is exactly what the entities describe once the migrations have run', async () => {
    const dataSource = sut.app!.get(DataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
