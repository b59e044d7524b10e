import { ValidationOptions, registerDecorator } from 'class-validator';

export const MAX_KEY_PATH_LENGTH = 512;

/** Most segments a key path may have: hierarchies far deeper than any configuration tree. */
export const MAX_KEY_PATH_SEGMENTS = 32;

/** Last segments that name sub-resources of an entry, so no entry may be stored under them. */
export const RESERVED_LAST_SEGMENTS = ['versions', 'rotate', 'rollback'];

// C0 and C1 control characters, DEL included.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why a key path is invalid, or undefined when it is valid: 1-32 `/`-separated segments,
 * 1-512 characters (code points), no empty, `.` or `..` segment, no control characters, no
 * unpaired surrogates (they cannot be stored). On write, the last segment must not be reserved.
 */
export function keyPathProblem(key: unknown, forWrite: boolean): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'must be a non-empty string';
  }
  if (!key.isWellFormed()) {
    return 'must not contain unpaired surrogate characters';
  }
  // A code point is one or two UTF-16 units: count code points only when the units do not tell.
  if (
    key.length > MAX_KEY_PATH_LENGTH &&
    (key.length > 2 * MAX_KEY_PATH_LENGTH || [...key].length > MAX_KEY_PATH_LENGTH)
  ) {
    return `must be at most ${MAX_KEY_PATH_LENGTH} characters`;
  }
  if (CONTROL.test(key)) {
    return 'must not contain control characters';
  }
  const segments = key.split('/');
  if (segments.length > MAX_KEY_PATH_SEGMENTS) {
    return `must have at most ${MAX_KEY_PATH_SEGMENTS} segments`;
  }
  if (segments.some((segment) => segment === '')) {
    return 'must not start or end with / or contain an empty segment';
  }
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return 'must not contain . or .. segments';
  }
  if (forWrite && RESERVED_LAST_SEGMENTS.includes(segments[segments.length - 1])) {
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
