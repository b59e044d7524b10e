const MAX_CODE_POINT = 0x10ffff;

function next(codePoint: number): number {
  // Skip the surrogate block: those code points are not characters.
  return codePoint + 1 === 0xd800 ? 0xe000 : codePoint + 1;
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point
 * order (which is byte order of UTF-8, so of COLLATE "C"); undefined if there is none. With
 * it, `key >= prefix AND key < upper` is exactly "starts with prefix", and the btree index
 * serves it: no LIKE pattern, so `%`, `_` and `\` stay ordinary characters.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = [...prefix].map((c) => c.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < MAX_CODE_POINT) {
      return String.fromCodePoint(...codePoints, next(last));
    }
  }
  return undefined;
}
