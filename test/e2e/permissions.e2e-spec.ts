import { createSecretKey, randomUUID } from 'node:crypto';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import request from 'supertest';
import { ALL_PERMISSIONS, KvPermission } from '../../src/permissions/kv-permission.enum';
import { PUBLIC_KEY } from '../../src/permissions/public.decorator';
import { PERMISSIONS_KEY } from '../../src/permissions/require-permissions.decorator';
import { ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace, namespaceBody } from '../utils/factories';
import { expectProblem } from '../utils/problems';
import { JwksServer } from '../utils/jwks-server';

const API = '/api/v1/kv';

function unsigned(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

function expectUnauthorized(res: request.Response): void {
  expectProblem(res, 401, 'UNAUTHORIZED');
}

describe('permissions', () => {
  let sut: TestApp;
  let namespaceId: string;

  beforeAll(async () => {
    sut = await createTestApp();
    namespaceId = (await createNamespace(sut.http())).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  it('leaves no route without declared permissions or @Public()', () => {
    const undeclared: string[] = [];
    let routes = 0;
    for (const module of sut.app!.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as new () => object;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name];
          if (
            typeof handler !== 'function' ||
            Reflect.getMetadata(METHOD_METADATA, handler) === undefined
          ) {
            continue;
          }
          routes += 1;
          const declared =
            Reflect.getMetadata(PERMISSIONS_KEY, handler) !== undefined ||
            Reflect.getMetadata(PUBLIC_KEY, handler) === true ||
            Reflect.getMetadata(PUBLIC_KEY, controller) === true;
          if (!declared || Reflect.getMetadata(PATH_METADATA, handler) === undefined) {
            undeclared.push(`${controller.name}.${name}`);
          }
        }
      }
    }
    expect(routes).toBeGreaterThanOrEqual(9);
    expect(undeclared).toEqual([]);
  });

  describe('matrix: each route needs exactly its permission', () => {
    const routes: [string, KvPermission, (http: request.Agent) => request.Test][] = [
      ['listNamespaces', KvPermission.NamespaceRead, (http) => http.get(`${API}/namespaces`)],
      [
        'getNamespace',
        KvPermission.NamespaceRead,
        (http) => http.get(`${API}/namespaces/${namespaceId}`),
      ],
      [
        'createNamespace',
        KvPermission.NamespaceWrite,
        (http) => http.post(`${API}/namespaces`).send(namespaceBody()),
      ],
      [
        'updateNamespace',
        KvPermission.NamespaceWrite,
        (http) => http.put(`${API}/namespaces/${namespaceId}`).send({}),
      ],
      [
        'deleteNamespace',
        KvPermission.NamespaceDelete,
        (http) => http.delete(`${API}/namespaces/${randomUUID()}`),
      ],
      ['searchAudit', KvPermission.AuditRead, (http) => http.get(`${API}/audit`)],
      [
        'listDeletedEntries',
        KvPermission.NamespaceRead,
        (http) => http.get(`${API}/${namespaceId}/deleted`),
      ],
      [
        'restoreEntry',
        KvPermission.EntryDelete,
        (http) => http.post(`${API}/${namespaceId}/entries/some%2Fkey/restore`),
      ],
      [
        'restoreEntry (raw slashes)',
        KvPermission.EntryDelete,
        (http) => http.post(`${API}/${namespaceId}/entries/some/key/restore`),
      ],
    ];

    it.each(routes)('%s: 403 without %s', async (_name, permission, send) => {
      const token = await sut.tokens.only(ALL_PERMISSIONS.filter((p) => p !== permission));
      const res = await send(sut.http(token));
      expect(res.status).toBe(403);
      expect(bodyOf<ProblemDto>(res).code).toBe('FORBIDDEN');
    });

    it.each(routes)('%s: allowed with only %s', async (_name, permission, send) => {
      const res = await send(sut.http(await sut.tokens.only([permission])));
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });

    it.each(routes)('%s: 401 without a token', async (_name, _permission, send) => {
      expectUnauthorized(await send(request.agent(sut.target)));
    });
  });

  describe('token defects are 401', () => {
    const secretKey = () =>
      createSecretKey(Buffer.from('another-secret-of-at-least-32-characters', 'utf8'));
    const claims = { permissions: [...ALL_PERMISSIONS], applications: ['*'] };
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['a Basic header', 'Basic dXNlcjpwYXNz'],
      ['an empty bearer', 'Bearer '],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ])('%s', async (_case, header) => {
      expectUnauthorized(
        await request(sut.target).get(`${API}/namespaces`).set('authorization', header),
      );
    });

    const defects: [string, () => Promise<string>][] = [
      [
        'a wrong signature',
        () =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setExpirationTime('5m')
            .sign(secretKey()),
      ],
      ['alg none', () => Promise.resolve(unsigned({ ...claims, sub: 'x', exp: now() + 300 }))],
      ['no sub', () => sut.tokens.mint({ sub: '' })],
      [
        'a tampered payload',
        async () => {
          const [header, , signature] = (await sut.tokens.only([KvPermission.NamespaceRead])).split(
            '.',
          );
          return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x', exp: now() + 300 })).toString('base64url')}.${signature}`;
        },
      ],
    ];

    it.each(defects)('%s', async (_case, token) => {
      expectUnauthorized(await sut.http(await token()).get(`${API}/namespaces`));
    });

    it('an expired token signed with the right secret', async () => {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setExpirationTime(now() - 60)
        .sign(createSecretKey(Buffer.from(sut.tokens.secret, 'utf8')));
      const res = await sut.http(token).get(`${API}/namespaces`);
      expectUnauthorized(res);
      expect(bodyOf<ProblemDto>(res).detail).toMatch(/expired/);
    });

    it.each([
      ['a token not yet valid (nbf)', { nbf: now() + 3600, exp: now() + 7200 }],
      ['a token without exp', {}],
      ['permissions that are not an array', { permissions: 'kv-namespace:read', exp: now() + 300 }],
      ['applications that are not an array', { applications: '*', exp: now() + 300 }],
    ])('%s', async (_case, extra) => {
      const token = await new SignJWT({ ...claims, ...extra })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .sign(createSecretKey(Buffer.from(sut.tokens.secret, 'utf8')));
      expectUnauthorized(await sut.http(token).get(`${API}/namespaces`));
    });

    it('an HS512 token, even with the right secret', async () => {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject('x')
        .setExpirationTime('5m')
        .sign(createSecretKey(Buffer.from(sut.tokens.secret, 'utf8')));
      expectUnauthorized(await sut.http(token).get(`${API}/namespaces`));
    });
  });

  describe('issuer and audience', () => {
    let checked: TestApp;

    beforeAll(async () => {
      checked = await createTestApp({
        env: { AUTH_JWT_ISSUER: 'kv-idp', AUTH_JWT_AUDIENCE: 'kv-service' },
      });
    });

    afterAll(async () => {
      await checked.close();
    });

    it.each([
      ['no issuer or audience', {}, 401],
      ['a wrong issuer', { issuer: 'other-idp', audience: 'kv-service' }, 401],
      ['a wrong audience', { issuer: 'kv-idp', audience: 'other-service' }, 401],
      ['the configured issuer and audience', { issuer: 'kv-idp', audience: 'kv-service' }, 200],
    ])('answers %s with %d', async (_case, options, status) => {
      const res = await checked.http(await checked.tokens.mint(options)).get(`${API}/namespaces`);
      expect(res.status).toBe(status);
    });
  });

  describe('JWKS (RS256 and ES256)', () => {
    const jwks = new JwksServer();
    let remote: TestApp;
    let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
    let ec: Awaited<ReturnType<typeof generateKeyPair>>;

    const sign = (alg: string, key: Parameters<SignJWT['sign']>[0], kid: string) =>
      new SignJWT({ permissions: [KvPermission.NamespaceRead], applications: ['*'] })
        .setProtectedHeader({ alg, kid })
        .setSubject('idp-user')
        .setExpirationTime('5m')
        .sign(key);

    beforeAll(async () => {
      rsa = await generateKeyPair('RS256', { extractable: true });
      ec = await generateKeyPair('ES256', { extractable: true });
      jwks.keys = [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ];
      const url = await jwks.start();
      remote = await createTestApp({ env: { AUTH_JWT_SECRET: '', AUTH_JWKS_URL: url } });
    });

    afterAll(async () => {
      await remote.close();
      await jwks.stop();
    });

    it('accepts RS256 and ES256 tokens signed by keys of the set', async () => {
      expect(
        (await remote.http(await sign('RS256', rsa.privateKey, 'rsa-1')).get(`${API}/namespaces`))
          .status,
      ).toBe(200);
      expect(
        (await remote.http(await sign('ES256', ec.privateKey, 'ec-1')).get(`${API}/namespaces`))
          .status,
      ).toBe(200);
    });

    it('rejects HS256 signed with the public key (algorithm confusion) and HS256 with no secret configured', async () => {
      const pem = await exportSPKI(rsa.publicKey);
      const confused = await new SignJWT({
        permissions: [KvPermission.NamespaceRead],
        applications: ['*'],
      })
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .setSubject('attacker')
        .setExpirationTime('5m')
        .sign(createSecretKey(Buffer.from(pem)));
      expectUnauthorized(await remote.http(confused).get(`${API}/namespaces`));
      expectUnauthorized(await remote.http(await remote.tokens.mint()).get(`${API}/namespaces`));
    });

    it('answers 401, not 503, for a token naming a key the reachable set does not have', async () => {
      const stranger = await generateKeyPair('RS256', { extractable: true });
      const res = await remote
        .http(await sign('RS256', stranger.privateKey, 'unknown-kid'))
        .get(`${API}/namespaces`);
      expectUnauthorized(res);
    });

    it('fetches the set again when a token names a new key', async () => {
      const rotated = await generateKeyPair('RS256', { extractable: true });
      jwks.keys = [
        ...jwks.keys,
        { ...(await exportJWK(rotated.publicKey)), kid: 'rsa-2', alg: 'RS256', use: 'sig' },
      ];
      const token = await sign('RS256', rotated.privateKey, 'rsa-2');
      await expectEventually(async () => {
        expect((await remote.http(token).get(`${API}/namespaces`)).status).toBe(200);
      });
    });
  });
});
