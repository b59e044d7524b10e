import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ALL_PERMISSIONS, KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace, namespaceBody } from '../utils/factories';
import { expectProblem } from '../utils/problems';

const API = '/api/v1/kv';
const BURST = 3;

describe('rate limiting', () => {
  let sut: TestApp;

  beforeAll(async () => {
    // A bucket of 3 requests per caller, refilled at one a second.
    sut = await createTestApp({
      env: { KV_RATE_LIMIT_PER_SECOND: '1', KV_RATE_LIMIT_BURST: String(BURST) },
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  /** A caller of its own, so that no other test spends its budget. */
  async function caller(permissions: readonly KvPermission[] = ALL_PERMISSIONS) {
    const sub = `user-${randomUUID()}`;
    return { sub, http: sut.http(await sut.tokens.only([...permissions], ['*'], sub)) };
  }

  function expectRateLimited(res: request.Response): void {
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('1');
  }

  it('answers a caller past its burst with 429 RATE_LIMITED and Retry-After, and no one else', async () => {
    const alice = await caller();
    for (let i = 0; i < BURST; i++) {
      expect((await alice.http.get(`${API}/namespaces`)).status).toBe(200);
    }
    expectRateLimited(await alice.http.get(`${API}/namespaces`));
    expectRateLimited(await alice.http.post(`${API}/namespaces`).send(namespaceBody()));
    const bob = await caller();
    expect((await bob.http.get(`${API}/namespaces`)).status).toBe(200);
  });

  it('lets the caller in again once its bucket refills', async () => {
    const alice = await caller();
    for (let i = 0; i < BURST; i++) {
      await alice.http.get(`${API}/namespaces`);
    }
    expectRateLimited(await alice.http.get(`${API}/namespaces`));
    await expectEventually(async () => {
      expect((await alice.http.get(`${API}/namespaces`)).status).toBe(200);
    }, 5000);
  });

  it('refuses a bad token or a missing permission before counting anything', async () => {
    const alice = await caller([KvPermission.NamespaceRead]);
    for (let i = 0; i < BURST; i++) {
      await alice.http.get(`${API}/namespaces`);
    }
    expect((await alice.http.post(`${API}/namespaces`).send(namespaceBody())).status).toBe(403);
    expect((await request(sut.target).get(`${API}/namespaces`)).status).toBe(401);
  });

  it('never limits health, metrics or the Swagger document', async () => {
    for (let i = 0; i < 3 * BURST; i++) {
      for (const path of ['/health/live', '/metrics', `${API}/swagger-ui-json`]) {
        expect([path, (await request(sut.target).get(path)).status]).toEqual([path, 200]);
      }
    }
  });

  it('leaves a failed audit row with status 429 and the caller', async () => {
    const alice = await caller();
    const namespace = (await createNamespace(alice.http)).id;
    for (let i = 1; i < BURST; i++) {
      await alice.http.get(`${API}/${namespace}/entries/a%2Fb`);
    }
    expectRateLimited(await alice.http.get(`${API}/${namespace}/entries/a%2Fb`));
    const auditor = (await caller([KvPermission.AuditRead])).http;
    const rows = await auditor
      .get(`${API}/audit`)
      .query({ userId: alice.sub, namespaceId: namespace, success: false });
    const limited = bodyOf<AuditPageDto>(rows).items.filter((row) => row.statusCode === 429);
    expect(limited).toEqual([
      expect.objectContaining({
        action: 'READ',
        keyPath: 'a/b',
        userId: alice.sub,
        success: false,
        statusCode: 429,
      }),
    ]);
  });
});

describe('rate limiting turned off', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({
      env: { KV_RATE_LIMIT_PER_SECOND: '0', KV_RATE_LIMIT_BURST: '1' },
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('lets any number of requests through with KV_RATE_LIMIT_PER_SECOND=0', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await sut.http().get(`${API}/namespaces`)).status).toBe(200);
    }
  });
});
