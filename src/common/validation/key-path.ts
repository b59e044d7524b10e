import { ValidationOptions, registerDecorator } from 'class-validator';

export const MAX_KEY_PATH_LENGTH = 512;

/** Most segments a key path may have: hierarchies far deeper than any configuration tree. */
export const MAX_KEY_PATH_SEGMENTS = 32;

/** Last segments that name sub-resources of an entry, so no entry may be stored under them. */
export const RESERVED_LAST_SEGMENTS = ['versions', 'rotate', 'rollback'];

/**
 * Why a key path is invalid, or undefined when it is valid: 1-32 `/`-separated segments,
 * 1-512 characters (code points), no empty, `.` or `..` segment, no control characters, no
 * unpaired surrogates (they cannot be stored). On write, the last segment must not be reserved.
 * One pass over the characters and no allocation: a bulk call checks up to a thousand keys.
 */
export function keyPathProblem(key: unknown, forWrite: boolean): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'must be a non-empty string';
  }
  // A code point is one or two UTF-16 units: the cheap test first, for very long input.
  if (key.length > 2 * MAX_KEY_PATH_LENGTH) {
    return key.isWellFormed()
      ? `must be at most ${MAX_KEY_PATH_LENGTH} characters`
      : 'must not contain unpaired surrogate characters';
  }
  let segments = 1;
  let length = 0;
  let dots = 0;
  let emptySegment = false;
  let dotSegment = false;
  let control = false;
  let surrogate = false;
  const endSegment = () => {
    emptySegment ||= length === 0;
    dotSegment ||= length > 0 && length <= 2 && dots === length;
  };
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    if (c === 0x2f) {
      endSegment();
      segments += 1;
      length = 0;
      dots = 0;
      continue;
    }
    length += 1;
    if (c === 0x2e) {
      dots += 1;
    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      // C0 and C1 control characters, DEL included.
      control = true;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      surrogate = true;
    }
  }
  endSegment();
  if (surrogate && !key.isWellFormed()) {
    return 'must not contain unpaired surrogate characters';
  }
  if (key.length > MAX_KEY_PATH_LENGTH && (!surrogate || [...key].length > MAX_KEY_PATH_LENGTH)) {
    return `must be at most ${MAX_KEY_PATH_LENGTH} characters`;
  }
  if (control) {
    return 'must not contain control characters';
  }
  if (segments > MAX_KEY_PATH_SEGMENTS) {
    return `must have at most ${MAX_KEY_PATH_SEGMENTS} segments`;
  }
  if (emptySegment) {
    return 'must not start or end with / or contain an empty segment';
  }
  if (dotSegment) {
    return 'must not contain . or .. segments';
  }
  if (forWrite && RESERVED_LAST_SEGMENTS.includes(key.slice(key.lastIndexOf('/') + 1))) {
    return `must not end in ${RESERVED_LAST_SEGMENTS.join(', ')}: those name sub-resources`;
  }
  return undefined;
}

/** class-validator form of keyPathProblem, for keys inside request bodies (bulk). */
export function IsKeyPath(forWrite: boolean, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isKeyPath',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ value }: { value: unknown }) =>
          `$property ${keyPathProblem(value, forWrite) ?? 'is invalid'}`,
        ...options,
      },
      validator: { validate: (value: unknown) => keyPathProblem(value, forWrite) === undefined },
    });
}
