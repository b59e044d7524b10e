import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM with a fresh random 96-bit IV per call. The output is
 * `format (1 byte) | iv (12) | tag (16) | ciphertext`, and the additional authenticated data
 * must be given again to open it.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens what seal made; throws if anything (key, AAD, IV, tag, ciphertext) is not as sealed. */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < HEADER || sealed[0] !== FORMAT) {
    throw new Error('not a sealed value of a known format');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, HEADER);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(HEADER)), decipher.final()]);
}

/** A new random 256-bit key. */
export function newKey(): Buffer {
  return randomBytes(32);
}
