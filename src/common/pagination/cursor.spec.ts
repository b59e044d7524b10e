import fc from 'fast-check';
import { KvException } from '../errors/kv.exception';
import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('decodes what it encodes, for any well-formed strings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 3 }),
        (parts) => {
          const sut = encodeCursor(parts);
          expect(sut).toMatch(/^[A-Za-z0-9_-]*$/);
          expect(decodeCursor(sut, parts.length)).toEqual(parts);
        },
      ),
    );
  });

  it.each([
    ['not base64url JSON', 'bm90IGpzb24'],
    ['the wrong number of parts', encodeCursor(['a', 'b'])],
    ['a non-string part', Buffer.from('[1]').toString('base64url')],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a NUL character', Buffer.from('["a\\u0000"]').toString('base64url')],
  ])('rejects %s with a validation error on cursor', (_case, cursor) => {
    expect(() => decodeCursor(cursor, 1)).toThrow(KvException);
    expect(() => decodeCursor(cursor, 1)).toThrow(/^cursor /);
  });
});
