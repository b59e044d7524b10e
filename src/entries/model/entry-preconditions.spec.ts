import { ErrorCode } from '../../common/errors/error-code.enum';
import type { KvException } from '../../common/errors/kv.exception';
import { Preconditions, checkPreconditions, etagOf, tagsMatch } from './entry-preconditions';

describe('entity tags', () => {
  it('quotes the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });

  it.each([
    ['"3"', 3, true],
    ['"2", "3"', 3, true],
    ['W/"3"', 3, true],
    ['*', 3, true],
    ['"4"', 3, false],
    ['3', 3, false],
    ['"03"', 3, false],
    ['garbage', 3, false],
    ['*', undefined, false],
    ['"1"', undefined, false],
  ])('%p against version %p: %p', (header, version, expected) => {
    expect(tagsMatch(header, version)).toBe(expected);
  });
});

describe('checkPreconditions', () => {
  const codeOf = (version: number | undefined, preconditions: Preconditions) => {
    try {
      checkPreconditions(version, preconditions);
      return 'passed';
    } catch (error) {
      return (error as KvException).code;
    }
  };

  it('passes with no precondition, whether or not the entry exists', () => {
    expect(codeOf(3, {})).toBe('passed');
    expect(codeOf(undefined, {})).toBe('passed');
  });

  it.each([
    [{ ifMatch: '"3"' }, 3, 'passed'],
    [{ ifMatch: '*' }, 3, 'passed'],
    [{ ifMatch: '"2"' }, 3, ErrorCode.PRECONDITION_FAILED],
    [{ ifMatch: '*' }, undefined, ErrorCode.PRECONDITION_FAILED],
    [{ expectedVersion: 3 }, 3, 'passed'],
    [{ expectedVersion: 2 }, 3, ErrorCode.VERSION_CONFLICT],
    [{ expectedVersion: 0 }, undefined, 'passed'],
    [{ expectedVersion: 1 }, undefined, ErrorCode.VERSION_CONFLICT],
    [{ expectedVersion: 0 }, 1, ErrorCode.VERSION_CONFLICT],
  ])('%p against version %p: %p', (preconditions, version, expected) => {
    expect(codeOf(version, preconditions)).toBe(expected);
  });

  it('answers If-Match (412) before expectedVersion (409) when both fail', () => {
    expect(codeOf(3, { ifMatch: '"1"', expectedVersion: 1 })).toBe(ErrorCode.PRECONDITION_FAILED);
  });

  it('names what it found', () => {
    expect(() => checkPreconditions(4, { expectedVersion: 3 })).toThrow(
      'expected version 3, found version 4',
    );
    expect(() => checkPreconditions(undefined, { expectedVersion: 3 })).toThrow(
      'expected version 3, found no entry',
    );
    expect(() => checkPreconditions(undefined, { ifMatch: '"1"' })).toThrow(
      'If-Match names an entry that does not exist',
    );
  });
});
