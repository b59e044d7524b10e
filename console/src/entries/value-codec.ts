import type { EntryValue, ValueType } from '../api/kv-client.js';

export type Parsed = { ok: true; value: EntryValue } | { ok: false; message: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The editor's text as a value of the type, or why it is not one (shown as the user types). */
export function parseValue(type: ValueType, text: string): Parsed {
  switch (type) {
    case 'STRING':
      return { ok: true, value: text };
    case 'NUMBER': {
      const number = Number(text);
      return text.trim() !== '' && Number.isFinite(number)
        ? { ok: true, value: number }
        : { ok: false, message: 'A finite number, such as 42 or 3.14' };
    }
    case 'BOOLEAN':
      return text === 'true' || text === 'false'
        ? { ok: true, value: text === 'true' }
        : { ok: false, message: 'true or false' };
    case 'JSON':
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === 'object' && value !== null
          ? { ok: true, value: value as EntryValue }
          : { ok: false, message: 'A JSON object or array' };
      } catch (error) {
        return { ok: false, message: `Invalid JSON: ${(error as Error).message}` };
      }
    case 'BINARY':
      return BASE64.test(text.trim())
        ? { ok: true, value: text.trim() }
        : { ok: false, message: 'Standard base64 (A-Z a-z 0-9 + /, padded with =)' };
  }
}

/** A value as the editor and the views show it. */
export function formatValue(type: ValueType, value: EntryValue | undefined): string {
  if (value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value, null, 2) : String(value);
}

/** A metadata object from the editor's text: empty text is none. */
export function parseMetadata(
  text: string,
): { ok: true; value: Record<string, unknown> | null } | { ok: false; message: string } {
  if (text.trim() === '') {
    return { ok: true, value: null };
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ok: true, value: value as Record<string, unknown> }
      : { ok: false, message: 'A JSON object' };
  } catch (error) {
    return { ok: false, message: `Invalid JSON: ${(error as Error).message}` };
  }
}
