import fc from 'fast-check';
import { MAX_KEY_PATH_LENGTH, MAX_KEY_PATH_SEGMENTS, keyPathProblem } from './key-path';

describe('keyPathProblem', () => {
  it.each([
    'a',
    'config/database/host',
    'a.b/c-d/e_f',
    'ünï/cødé/🔑',
    'a/.hidden/b',
    'x/...',
    '%2F/%/_/\\',
    'versions/a',
    'a/rotate/b',
  ])('accepts %p', (key) => {
    expect(keyPathProblem(key, true)).toBeUndefined();
  });

  it.each([
    ['', 'non-empty'],
    ['/a', 'empty segment'],
    ['a/', 'empty segment'],
    ['a//b', 'empty segment'],
    ['a/./b', '. or ..'],
    ['..', '. or ..'],
    ['a/\u0000', 'control'],
    ['a\nb', 'control'],
    ['a\u007f', 'control'],
    ['a\u0085', 'control'],
    ['a\ud800', 'surrogate'],
    ['k'.repeat(MAX_KEY_PATH_LENGTH + 1), 'at most'],
    ['🔑'.repeat(MAX_KEY_PATH_LENGTH + 1), 'at most'],
    [
      Array(MAX_KEY_PATH_SEGMENTS + 1)
        .fill('s')
        .join('/'),
      `at most ${MAX_KEY_PATH_SEGMENTS} segments`,
    ],
  ])('rejects %p', (key, problem) => {
    expect(keyPathProblem(key, false)).toContain(problem);
  });

  it('accepts as many segments as allowed', () => {
    expect(keyPathProblem(Array(MAX_KEY_PATH_SEGMENTS).fill('s').join('/'), true)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(keyPathProblem('🔑'.repeat(MAX_KEY_PATH_LENGTH), false)).toBeUndefined();
  });

  it.each(['versions', 'a/versions', 'a/b/rotate', 'rollback'])(
    'rejects reserved last segment %p on write only',
    (key) => {
      expect(keyPathProblem(key, true)).toContain('must not end in');
      expect(keyPathProblem(key, false)).toBeUndefined();
    },
  );

  it('accepts only keys that survive a UTF-8 round trip unchanged, as PostgreSQL stores them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (key) => {
        if (keyPathProblem(key, false) === undefined) {
          expect(Buffer.from(key, 'utf8').toString('utf8')).toBe(key);
          expect(key.split('/').every((s) => s.length > 0 && s !== '.' && s !== '..')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('says what the rules say, in their order, for any string', () => {
    // The rules written plainly, one after the other: what the single pass must agree with.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const control = /[\u0000-\u001f\u007f-\u009f]/;
    const plainly = (key: string, forWrite: boolean): string | undefined => {
      if (key.length === 0) {
        return 'must be a non-empty string';
      }
      if (!key.isWellFormed()) {
        return 'must not contain unpaired surrogate characters';
      }
      if ([...key].length > MAX_KEY_PATH_LENGTH) {
        return `must be at most ${MAX_KEY_PATH_LENGTH} characters`;
      }
      if (control.test(key)) {
        return 'must not contain control characters';
      }
      const segments = key.split('/');
      if (segments.length > MAX_KEY_PATH_SEGMENTS) {
        return `must have at most ${MAX_KEY_PATH_SEGMENTS} segments`;
      }
      if (segments.includes('')) {
        return 'must not start or end with / or contain an empty segment';
      }
      if (segments.some((segment) => segment === '.' || segment === '..')) {
        return 'must not contain . or .. segments';
      }
      if (forWrite && ['versions', 'rotate', 'rollback'].includes(segments.at(-1)!)) {
        return 'must not end in versions, rotate, rollback: those name sub-resources';
      }
      return undefined;
    };
    const pieces = fc.constantFrom(
      'a',
      'é',
      '🔑',
      '.',
      '..',
      '/',
      '//',
      '\u0000',
      '\u0085',
      '\ud800',
      'versions',
      'x'.repeat(200),
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 40 }).map((p) => p.join('')),
        fc.boolean(),
        (key, forWrite) => {
          expect(keyPathProblem(key, forWrite)).toBe(plainly(key, forWrite));
        },
      ),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.boolean(), (key, forWrite) => {
        expect(keyPathProblem(key, forWrite)).toBe(plainly(key, forWrite));
      }),
      { numRuns: 5000 },
    );
  });
});
