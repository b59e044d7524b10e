import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { open, seal } from './aes-gcm';

/** Binds a ciphertext to its place: a value copied to another namespace, key or version fails. */
function placeOf(namespaceId: string, keyPath: string, version: number): Buffer {
  return Buffer.from(JSON.stringify(['kv-value-v1', namespaceId, keyPath, version]), 'utf8');
}

/** Encrypts and decrypts the values of one secret namespace with its data key. */
export class ValueCipher {
  constructor(
    private readonly namespaceId: string,
    private readonly dataKey: Buffer,
  ) {}

  encrypt(keyPath: string, version: number, plaintext: string): Buffer {
    return seal(
      this.dataKey,
      Buffer.from(plaintext, 'utf8'),
      placeOf(this.namespaceId, keyPath, version),
    );
  }

  decrypt(keyPath: string, version: number, sealed: Buffer): string {
    try {
      return open(this.dataKey, sealed, placeOf(this.namespaceId, keyPath, version)).toString(
        'utf8',
      );
    } catch {
      throw new KvException(
        ErrorCode.INTEGRITY_ERROR,
        `the stored ciphertext of ${keyPath} version ${version} fails authentication: it was altered or does not belong here`,
      );
    }
  }
}
