import fc from 'fast-check';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import { deserializeValue, serializeValue } from './entry-value';
import { ValueType } from './value-type.enum';

const LIMIT = 65536;

function codeOf(work: () => unknown): ErrorCode | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as KvException).code;
  }
}

describe('entry values', () => {
  it.each([
    [ValueType.STRING, 'localhost'],
    [ValueType.STRING, ''],
    [ValueType.NUMBER, 5432],
    [ValueType.NUMBER, -0.1],
    [ValueType.BOOLEAN, false],
    [ValueType.JSON, { port: 5432, nested: [1, 'a', null] }],
    [ValueType.JSON, []],
    [ValueType.BINARY, 'SGVsbG8gV29ybGQ='],
    [ValueType.BINARY, ''],
  ])('accepts a %s value %p and gives it back unchanged', (type, value) => {
    expect(deserializeValue(serializeValue(value, type, LIMIT))).toEqual(value);
  });

  it.each([
    [ValueType.STRING, 5],
    [ValueType.STRING, null],
    [ValueType.NUMBER, '5'],
    [ValueType.NUMBER, Infinity],
    [ValueType.NUMBER, NaN],
    [ValueType.BOOLEAN, 'true'],
    [ValueType.JSON, null],
    [ValueType.JSON, 'text'],
    [ValueType.JSON, 3],
    [ValueType.BINARY, 'not base64!'],
    [ValueType.BINARY, 'SGVsbG8'],
    [ValueType.BINARY, 'SGVsbG8-'],
    [ValueType.BINARY, 42],
  ])('rejects a %s value %p with 400', (type, value) => {
    expect(codeOf(() => serializeValue(value, type, LIMIT))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('measures JSON values in UTF-8 bytes of their JSON form and BINARY in decoded bytes', () => {
    expect(codeOf(() => serializeValue('é'.repeat(10), ValueType.STRING, 22))).toBeUndefined();
    expect(codeOf(() => serializeValue('é'.repeat(10), ValueType.STRING, 21))).toBe(
      ErrorCode.VALUE_TOO_LARGE,
    );
    const fourBytes = Buffer.alloc(4).toString('base64');
    expect(codeOf(() => serializeValue(fourBytes, ValueType.BINARY, 4))).toBeUndefined();
    expect(codeOf(() => serializeValue(fourBytes, ValueType.BINARY, 3))).toBe(
      ErrorCode.VALUE_TOO_LARGE,
    );
  });

  it('round-trips any JSON value exactly, key order included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const type =
          typeof value === 'string'
            ? ValueType.STRING
            : typeof value === 'number'
              ? ValueType.NUMBER
              : typeof value === 'boolean'
                ? ValueType.BOOLEAN
                : ValueType.JSON;
        if (value === null || (typeof value === 'number' && Object.is(value, -0))) {
          return;
        }
        const stored = serializeValue(value, type, 10 * LIMIT);
        expect(JSON.stringify(deserializeValue(stored))).toBe(JSON.stringify(value));
      }),
    );
  });
});
