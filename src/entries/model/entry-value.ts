import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException, invalidField } from '../../common/errors/kv.exception';
import { ValueType } from './value-type.enum';

/** A value ready to store: its type and its JSON text (plaintext until sealed by the store). */
export interface ValueInput {
  valueType: ValueType;
  serialized: string;
}

// Standard base64 (RFC 4648 §4) with padding, nothing else.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function matchesType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case ValueType.STRING:
      return typeof value === 'string';
    case ValueType.NUMBER:
      return typeof value === 'number' && Number.isFinite(value);
    case ValueType.BOOLEAN:
      return typeof value === 'boolean';
    case ValueType.JSON:
      return typeof value === 'object' && value !== null;
    case ValueType.BINARY:
      return typeof value === 'string' && BASE64.test(value);
  }
}

const EXPECTED: Record<ValueType, string> = {
  [ValueType.STRING]: 'a string',
  [ValueType.NUMBER]: 'a finite number',
  [ValueType.BOOLEAN]: 'true or false',
  [ValueType.JSON]: 'an object or an array',
  [ValueType.BINARY]: 'standard base64 with padding',
};

/** Size the limit applies to: UTF-8 bytes of the JSON form, or the decoded bytes of BINARY. */
export function valueSize(value: unknown, type: ValueType, serialized: string): number {
  if (type === ValueType.BINARY && typeof value === 'string') {
    return (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
  }
  return Buffer.byteLength(serialized, 'utf8');
}

/**
 * Checks a value against its type and the size limit and returns its stored form: the JSON
 * text, which gives back exactly the value sent (key order, number digits, escapes).
 */
export function serializeValue(
  value: unknown,
  type: ValueType,
  maxBytes: number,
  field = 'value',
): string {
  if (!matchesType(value, type)) {
    throw invalidField(field, `must be ${EXPECTED[type]} for valueType ${type}`);
  }
  const serialized = JSON.stringify(value);
  const size = valueSize(value, type, serialized);
  if (size > maxBytes) {
    throw new KvException(
      ErrorCode.VALUE_TOO_LARGE,
      `${field} is ${size} bytes; the limit is ${maxBytes}`,
      [{ field, message: `must be at most ${maxBytes} bytes` }],
    );
  }
  return serialized;
}

export function deserializeValue(stored: string): unknown {
  return JSON.parse(stored);
}
