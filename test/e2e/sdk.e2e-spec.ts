import { randomUUID } from 'node:crypto';
import { createKvClient } from '../../clients/typescript/src';
import { TestApp, createTestApp } from '../utils/create-test-app';

/** Drives the service only through the client generated from openapi.json. */
describe('generated TypeScript client', () => {
  let sut: TestApp;
  let kv: ReturnType<typeof createKvClient>;

  beforeAll(async () => {
    sut = await createTestApp();
    kv = createKvClient(await sut.url(), sut.adminToken);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('performs every operation of the contract', async () => {
    const applicationId = `sdk-${randomUUID().slice(0, 8)}`;
    const created = await kv.POST('/api/v1/kv/namespaces', {
      body: { name: 'sdk', applicationId, isSecretNamespace: true },
    });
    expect(created.response.status).toBe(201);
    const nsId = created.data!.id;
    const ns = { nsId };

    expect(
      (await kv.GET('/api/v1/kv/namespaces', { params: { query: { applicationId } } })).data!.items,
    ).toHaveLength(1);
    expect(
      (await kv.GET('/api/v1/kv/namespaces/{id}', { params: { path: { id: nsId } } })).data!.name,
    ).toBe('sdk');
    const updated = await kv.PUT('/api/v1/kv/namespaces/{id}', {
      params: { path: { id: nsId } },
      body: { description: 'via sdk' },
    });
    expect(updated.data!.description).toBe('via sdk');

    const key = 'config/db/password';
    const path = { ...ns, key };
    const set = await kv.PUT('/api/v1/kv/{nsId}/entries/{key}', {
      params: { path },
      body: { value: 'first', valueType: 'STRING' },
    });
    expect(set.response.status).toBe(201);
    expect(set.response.url).toContain('config%2Fdb%2Fpassword');
    const got = await kv.GET('/api/v1/kv/{nsId}/entries/{key}', { params: { path } });
    expect(got.data).toMatchObject({ keyPath: key, value: 'first', version: 1 });
    expect(got.response.headers.get('etag')).toBe('"1"');
    const listed = await kv.GET('/api/v1/kv/{nsId}/entries', {
      params: { path: ns, query: { prefix: 'config/', includeValues: true } },
    });
    expect(listed.data!.items.map((e) => e.keyPath)).toEqual([key]);

    const rotated = await kv.POST('/api/v1/kv/{nsId}/entries/{key}/rotate', {
      params: { path },
      body: { value: 'second' },
    });
    expect(rotated.data).toMatchObject({ version: 2, value: 'second' });
    const versions = await kv.GET('/api/v1/kv/{nsId}/entries/{key}/versions', { params: { path } });
    expect(versions.data!.items.map((v) => v.changeReason)).toEqual(['rotation', 'create']);
    const rolledBack = await kv.POST('/api/v1/kv/{nsId}/entries/{key}/rollback', {
      params: { path },
      body: { version: 1 },
    });
    expect(rolledBack.data).toMatchObject({ version: 3, value: 'first' });

    const bulkSet = await kv.POST('/api/v1/kv/{nsId}/bulk/set', {
      params: { path: ns },
      body: {
        entries: [
          { key: 'bulk/a', value: 1, valueType: 'NUMBER' },
          { key: 'bulk/b', value: true, valueType: 'BOOLEAN' },
        ],
      },
    });
    expect(bulkSet.data!.items).toHaveLength(2);
    const bulkGet = await kv.POST('/api/v1/kv/{nsId}/bulk/get', {
      params: { path: ns },
      body: { keys: ['bulk/a', 'bulk/zzz'] },
    });
    expect(bulkGet.data).toMatchObject({
      items: [{ keyPath: 'bulk/a', value: 1 }],
      missing: ['bulk/zzz'],
    });
    const bulkDelete = await kv.POST('/api/v1/kv/{nsId}/bulk/delete', {
      params: { path: ns },
      body: { keys: ['bulk/a', 'bulk/b'] },
    });
    expect(bulkDelete.data).toEqual({ deleted: ['bulk/a', 'bulk/b'], missing: [] });

    const conflict = await kv.PUT('/api/v1/kv/{nsId}/entries/{key}', {
      params: { path },
      body: { value: 'x', valueType: 'STRING', expectedVersion: 1 },
    });
    expect(conflict.error).toMatchObject({ status: 409, code: 'VERSION_CONFLICT' });
    expect(
      (await kv.DELETE('/api/v1/kv/{nsId}/entries/{key}', { params: { path } })).response.status,
    ).toBe(204);

    const audit = await kv.GET('/api/v1/kv/audit', {
      params: { query: { namespaceId: nsId, action: 'ROTATE' } },
    });
    expect(audit.data!.items).toEqual([expect.objectContaining({ keyPath: key, success: true })]);

    expect(
      (await kv.DELETE('/api/v1/kv/namespaces/{id}', { params: { path: { id: nsId } } })).response
        .status,
    ).toBe(204);
    expect((await kv.GET('/health/live')).data).toEqual({ status: 'ok' });
    expect((await kv.GET('/health/ready')).response.status).toBe(200);
    expect((await kv.GET('/metrics', { parseAs: 'text' })).data).toContain(
      'http_request_duration_seconds',
    );
  });
});
