import type { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { KvPermission } from './kv-permission.enum';
import { mintToken } from './token-minter';
import { TokenVerifier } from './token-verifier.service';

const SECRET = 'a-test-secret-of-enough-length-for-hs256';

function verifier(auth: Partial<KvConfig['auth']> = {}): TokenVerifier {
  const config = { get: () => auth } as unknown as ConfigService<KvConfig, true>;
  return new TokenVerifier(config, { secret: SECRET, development: false });
}

function token(ttlSeconds: number, sub = 'alice', applications = ['app-1']): Promise<string> {
  return mintToken(SECRET, {
    sub,
    permissions: [KvPermission.EntryRead],
    applications,
    ttlSeconds,
  });
}

describe('TokenVerifier cache of verified tokens', () => {
  it('answers a repeated token with the same principal', async () => {
    const tokens = verifier();
    const bearer = `Bearer ${await token(60)}`;
    const first = await tokens.verify(bearer);
    const second = await tokens.verify(bearer);
    expect(second).toBe(first);
    expect(second.sub).toBe('alice');
    expect(second.has(KvPermission.EntryRead)).toBe(true);
  });

  it('stops accepting a cached token when it expires', async () => {
    const tokens = verifier();
    const bearer = `Bearer ${await token(1)}`;
    await expect(tokens.verify(bearer)).resolves.toMatchObject({ sub: 'alice' });
    // exp has one-second resolution: wait past it.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(tokens.verify(bearer)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('does not let a cached token vouch for a tampered one', async () => {
    const tokens = verifier();
    const jwt = await token(60);
    await tokens.verify(`Bearer ${jwt}`);
    const tampered = `${jwt.slice(0, -2)}${jwt.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(tokens.verify(`Bearer ${tampered}`)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('TokenVerifier claims', () => {
  it.each([
    ['a sub with a NUL', 'ali\u0000ce', ['app-1']],
    ['a sub with a newline', 'alice\nadmin', ['app-1']],
    ['an application with a control character', 'alice', ['app\u00071']],
  ])('refuses %s with 401', async (_case, sub, applications) => {
    await expect(
      verifier().verify(`Bearer ${await token(60, sub, applications)}`),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses tokens living longer than AUTH_JWT_MAX_TTL_SECONDS, and accepts shorter ones', async () => {
    const sut = verifier({ maxTtlSeconds: 3600 });
    await expect(sut.verify(`Bearer ${await token(3600)}`)).resolves.toMatchObject({
      sub: 'alice',
    });
    await expect(sut.verify(`Bearer ${await token(3601)}`)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(verifier().verify(`Bearer ${await token(86400 * 30)}`)).resolves.toMatchObject({
      sub: 'alice',
    });
  });
});
