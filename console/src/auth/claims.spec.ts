import { can, decodeClaims } from './claims.js';

function base64url(text: string): string {
  const binary = String.fromCharCode(...new TextEncoder().encode(text));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function token(payload: unknown): string {
  return `${base64url(JSON.stringify({ alg: 'HS256' }))}.${base64url(JSON.stringify(payload))}.signature`;
}

describe('decodeClaims', () => {
  it('reads sub, permissions, applications and expiry, for display only', () => {
    const sut = decodeClaims(
      token({
        sub: 'zoë',
        permissions: ['kv-entry:read', 7],
        applications: ['*'],
        exp: 1800000000,
      }),
    );
    expect(sut).toEqual({
      sub: 'zoë',
      permissions: ['kv-entry:read'],
      applications: ['*'],
      expiresAt: new Date(1800000000 * 1000),
    });
    expect(can(sut!, 'kv-entry:read')).toBe(true);
    expect(can(sut!, 'kv-entry:write')).toBe(false);
  });

  it.each(['', 'a.b', 'a.%%%.c', `x.${base64url('[1')}.y`, token(null)])(
    'is undefined for %j, which is no JWT',
    (text) => {
      expect(decodeClaims(text)).toBeUndefined();
    },
  );
});
