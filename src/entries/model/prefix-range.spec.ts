import fc from 'fast-check';
import { prefixUpperBound } from './prefix-range';

/** Byte order of UTF-8, which is how COLLATE "C" compares. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe('prefixUpperBound', () => {
  it('bounds exactly the strings that start with the prefix', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('a', 'b', '%', '_', '\\', '/', '\u{10ffff}', '\ud7ff', '\ue000'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 6,
    });
    fc.assert(
      fc.property(text, text, (prefix, key) => {
        const upper = prefixUpperBound(prefix);
        const inRange =
          compare(key, prefix) >= 0 && (upper === undefined || compare(key, upper) < 0);
        expect(inRange).toBe(key.startsWith(prefix));
      }),
      { numRuns: 5000 },
    );
  });

  it('treats LIKE wildcards as ordinary characters', () => {
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('a_')).toBe('a`');
    expect(prefixUpperBound('a\\')).toBe('a]');
  });

  it('carries past the last code point and skips surrogates', () => {
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
    expect(prefixUpperBound('\ud7ff')).toBe('\ue000');
  });
});
