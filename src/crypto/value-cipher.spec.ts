import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { newKey } from './aes-gcm';
import { ValueCipher } from './value-cipher';

const NAMESPACE = '3f1e4a55-6b7c-4d8e-9f00-112233445566';
const OTHER_NAMESPACE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f11223344';
const KEY = 'config/db/password';
const PLAINTEXT = '"s3cr3t ✓"';

/** Asserts that decrypt fails as a KvException with the stable INTEGRITY_ERROR code. */
function expectIntegrityError(decrypt: () => string): void {
  let thrown: unknown;
  try {
    decrypt();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KvException);
  expect(thrown).toMatchObject({ code: ErrorCode.INTEGRITY_ERROR });
}

describe('ValueCipher', () => {
  const dataKey = newKey();
  let sut: ValueCipher;

  beforeEach(() => {
    sut = new ValueCipher(NAMESPACE, dataKey);
  });

  it('decrypts what it encrypted for the same key and version', () => {
    const sealed = sut.encrypt(KEY, 1, PLAINTEXT);

    expect(sealed.toString('utf8')).not.toContain('s3cr3t');
    expect(sut.decrypt(KEY, 1, sealed)).toBe(PLAINTEXT);
  });

  it('decrypts with another instance on the same namespace and data key', () => {
    const sealed = sut.encrypt(KEY, 3, PLAINTEXT);

    expect(new ValueCipher(NAMESPACE, Buffer.from(dataKey)).decrypt(KEY, 3, sealed)).toBe(
      PLAINTEXT,
    );
  });

  it.each([
    ['its tag', 13],
    ['its ciphertext', -1],
  ])('refuses a value with a changed byte in %s as INTEGRITY_ERROR', (_case, offset) => {
    const sealed = sut.encrypt(KEY, 1, PLAINTEXT);
    sealed[offset < 0 ? sealed.length + offset : offset] ^= 0x01;

    expectIntegrityError(() => sut.decrypt(KEY, 1, sealed));
  });

  it('refuses a value sealed for one key as another key', () => {
    const sealed = sut.encrypt(KEY, 1, PLAINTEXT);

    expectIntegrityError(() => sut.decrypt('config/db/user', 1, sealed));
  });

  it('refuses a value sealed for one version as another version', () => {
    const sealed = sut.encrypt(KEY, 1, PLAINTEXT);

    expectIntegrityError(() => sut.decrypt(KEY, 2, sealed));
  });

  it('refuses a value sealed in one namespace in another namespace with the same data key', () => {
    const sealed = sut.encrypt(KEY, 1, PLAINTEXT);
    const elsewhere = new ValueCipher(OTHER_NAMESPACE, dataKey);

    expectIntegrityError(() => elsewhere.decrypt(KEY, 1, sealed));
  });

  it('refuses a value sealed with another data key', () => {
    const sealed = new ValueCipher(NAMESPACE, newKey()).encrypt(KEY, 1, PLAINTEXT);

    expectIntegrityError(() => sut.decrypt(KEY, 1, sealed));
  });

  it('refuses a value that is not a sealed value at all as INTEGRITY_ERROR, not a bare error', () => {
    expectIntegrityError(() => sut.decrypt(KEY, 1, Buffer.from(PLAINTEXT, 'utf8')));
  });
});
