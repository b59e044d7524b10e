import { newKey, open, seal } from './aes-gcm';

describe('AES-256-GCM sealing', () => {
  const key = newKey();
  const aad = Buffer.from('["ns","config/db/password",3]');
  const plaintext = Buffer.from('"s3cr3t ✓"');

  it('opens what it sealed', () => {
    expect(open(key, seal(key, plaintext, aad), aad)).toEqual(plaintext);
  });

  it('seals the same plaintext differently each time', () => {
    expect(seal(key, plaintext, aad)).not.toEqual(seal(key, plaintext, aad));
  });

  const tamper = (index: (sealed: Buffer) => number) => {
    const sealed = seal(key, plaintext, aad);
    sealed[index(sealed)] ^= 0x01;
    return sealed;
  };

  it.each([
    ['the IV', () => tamper(() => 1)],
    ['the tag', () => tamper(() => 13)],
    ['the ciphertext', () => tamper((s) => s.length - 1)],
    ['a truncated tag', () => seal(key, plaintext, aad).subarray(0, 20)],
    ['an unknown format', () => tamper(() => 0)],
  ])('refuses a value with a changed %s', (_case, make) => {
    expect(() => open(key, make(), aad)).toThrow();
  });

  it('refuses the wrong key and the wrong AAD', () => {
    const sealed = seal(key, plaintext, aad);
    expect(() => open(newKey(), sealed, aad)).toThrow();
    expect(() => open(key, sealed, Buffer.from('["ns","config/db/password",4]'))).toThrow();
  });

  it('never repeats an IV in 100 000 encryptions', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) {
      ivs.add(seal(key, plaintext, aad).subarray(1, 13).toString('hex'));
    }
    expect(ivs.size).toBe(100_000);
  });
});
