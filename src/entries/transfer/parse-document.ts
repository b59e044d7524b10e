import { parse as parseDotenv } from 'dotenv';
import YAML from 'yaml';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { FieldError, KvException, invalidField } from '../../common/errors/kv.exception';
import { ValueType } from '../model/value-type.enum';
import { TransferFormat } from './transfer-format.enum';

/** An item of a document, as a bulk set item (validated by the same rules afterwards). */
export interface DocumentItem {
  key: string;
  value: unknown;
  valueType: ValueType;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): ValueType | undefined {
  if (typeof value === 'string') {
    return ValueType.STRING;
  }
  if (typeof value === 'number') {
    return ValueType.NUMBER;
  }
  if (typeof value === 'boolean') {
    return ValueType.BOOLEAN;
  }
  return typeof value === 'object' && value !== null ? ValueType.JSON : undefined;
}

/** Leaves of nested objects, their keys joined by `/`; arrays and empty objects are JSON values. */
function leaves(tree: Record<string, unknown>): { items: DocumentItem[]; errors: FieldError[] } {
  const items: DocumentItem[] = [];
  const errors: FieldError[] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [segment, value] of Object.entries(node)) {
      const key = [...path, segment].join('/');
      if (isMapping(value) && Object.keys(value).length > 0) {
        walk(value, [...path, segment]);
        continue;
      }
      const valueType = typeOf(value);
      if (valueType === undefined) {
        errors.push({
          index: items.length,
          key,
          field: 'value',
          message: 'has no value type (null)',
        });
      } else {
        items.push({ key, value, valueType });
      }
    }
  };
  walk(tree, []);
  return { items, errors };
}

function structured(format: TransferFormat, text: string): unknown {
  try {
    if (format === TransferFormat.JSON) {
      return JSON.parse(text) as unknown;
    }
    return YAML.parse(text, { uniqueKeys: true, maxAliasCount: 100 }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw invalidField('document', `is not valid ${format}: ${reason}`);
  }
}

/**
 * The items of a document, keys as written below the prefix: a dotenv variable's name as it
 * is, with a string value; JSON and YAML mappings nest into `/` segments, leaves typed by
 * their JSON type.
 */
export function parseDocument(format: TransferFormat, text: string): DocumentItem[] {
  if (format === TransferFormat.DOTENV) {
    return Object.entries(parseDotenv(text)).map(([key, value]) => ({
      key,
      value,
      valueType: ValueType.STRING,
    }));
  }
  const tree = structured(format, text) ?? {};
  if (!isMapping(tree)) {
    throw invalidField(
      'document',
      `must be a ${format === TransferFormat.JSON ? 'JSON object' : 'YAML mapping'}`,
    );
  }
  const { items, errors } = leaves(tree);
  if (errors.length > 0) {
    throw new KvException(
      ErrorCode.VALIDATION_FAILED,
      `${errors.length} problem(s) in the document; nothing was written`,
      errors,
    );
  }
  return items;
}
