import YAML from 'yaml';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { FieldError, KvException } from '../../common/errors/kv.exception';
import { ValueType } from '../model/value-type.enum';
import { dotenvText, dotenvValue } from './dotenv-text';
import { envNameOf } from './env-names';
import { TransferFormat } from './transfer-format.enum';

/** An entry to export: its key below the prefix, and its value with its JSON type. */
export interface ExportedEntry {
  key: string;
  valueType: ValueType;
  value: unknown;
}

function conflict(format: TransferFormat, errors: FieldError[]): never {
  throw new KvException(
    ErrorCode.EXPORT_CONFLICT,
    `${errors.length} key(s) cannot be exported as ${format}: ${errors
      .map((error) => `${error.key} ${error.message}`)
      .join('; ')}`,
    errors,
  );
}

/** A value as a dotenv variable holds it: strings as they are, anything else as JSON text. */
function text(entry: ExportedEntry): string {
  return entry.valueType === ValueType.STRING || entry.valueType === ValueType.BINARY
    ? (entry.value as string)
    : JSON.stringify(entry.value);
}

function renderDotenv(entries: ExportedEntry[]): string {
  const byName = new Map<string, ExportedEntry[]>();
  for (const entry of entries) {
    const name = envNameOf(entry.key);
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  const errors: FieldError[] = [];
  for (const [name, group] of byName) {
    if (group.length > 1) {
      const keys = group.map((entry) => entry.key);
      errors.push(
        ...keys.map((key) => ({
          key,
          field: 'key',
          message: `becomes ${name}, as ${keys.filter((other) => other !== key).join(', ')} also does`,
        })),
      );
    }
  }
  for (const entry of entries) {
    if (dotenvValue(text(entry)) === undefined) {
      errors.push({
        key: entry.key,
        field: 'value',
        message: 'has no exact dotenv form (a carriage return together with " or \\)',
      });
    }
  }
  if (errors.length > 0) {
    conflict(TransferFormat.DOTENV, errors);
  }
  // Sorted by name, so that an export of what an import of it stored reads the same.
  const variables = entries
    .map((entry) => [envNameOf(entry.key), text(entry)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return dotenvText(variables);
}

type Tree = Record<string, unknown>;

/** Objects by segment; a key that is also the parent of others cannot be both. */
function nest(format: TransferFormat, entries: ExportedEntry[]): Tree {
  const keys = new Set(entries.map((entry) => entry.key));
  const errors: FieldError[] = [];
  for (const entry of entries) {
    const segments = entry.key.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const parent = segments.slice(0, i).join('/');
      if (keys.has(parent)) {
        errors.push({ key: parent, field: 'key', message: `is also the parent of ${entry.key}` });
      }
    }
  }
  if (errors.length > 0) {
    conflict(format, errors);
  }
  // Without a prototype, a segment named __proto__ is a key like any other.
  const root: Tree = Object.create(null) as Tree;
  for (const entry of entries) {
    const segments = entry.key.split('/');
    const leaf = segments.pop()!;
    let node = root;
    for (const segment of segments) {
      node[segment] ??= Object.create(null) as Tree;
      node = node[segment] as Tree;
    }
    node[leaf] = entry.value;
  }
  return root;
}

/** The document of these entries (in key order) in the format; EXPORT_CONFLICT naming the keys it cannot hold. */
export function renderDocument(format: TransferFormat, entries: ExportedEntry[]): string {
  switch (format) {
    case TransferFormat.DOTENV:
      return renderDotenv(entries);
    case TransferFormat.JSON:
      return `${JSON.stringify(nest(format, entries), null, 2)}\n`;
    case TransferFormat.YAML:
      return YAML.stringify(nest(format, entries));
  }
}
