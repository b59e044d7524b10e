import type { EntryDto, EntryValue, ValueType } from '../api/kv-client.js';
import { formatValue, parseMetadata, parseValue } from './value-codec.js';

export type TtlChoice = 'default' | 'never' | 'seconds';

/** What the user is editing, as text, before it becomes a set request. */
export interface EntryDraft {
  key: string;
  type: ValueType;
  text: string;
  ttl: TtlChoice;
  ttlSeconds: string;
  metadata: string;
}

export function draftOf(
  key: string,
  entry: EntryDto | undefined,
  value: EntryValue | undefined,
): EntryDraft {
  const type = entry?.valueType ?? 'STRING';
  return {
    key,
    type,
    text: value === undefined ? (type === 'BOOLEAN' ? 'true' : '') : formatValue(type, value),
    ttl: 'default',
    ttlSeconds: '',
    metadata:
      entry === undefined || entry.metadata === null ? '' : JSON.stringify(entry.metadata, null, 2),
  };
}

export interface SetBody {
  value: EntryValue;
  valueType: ValueType;
  ttlSeconds?: number | null;
  metadata: Record<string, unknown> | null;
}

/** The request body of a draft, or the first reason it is not one yet. */
export function bodyOf(
  draft: EntryDraft,
): { ok: true; body: SetBody } | { ok: false; message: string } {
  const value = parseValue(draft.type, draft.text);
  if (!value.ok) {
    return { ok: false, message: `Value: ${value.message}` };
  }
  const metadata = parseMetadata(draft.metadata);
  if (!metadata.ok) {
    return { ok: false, message: `Metadata: ${metadata.message}` };
  }
  const body: SetBody = { value: value.value, valueType: draft.type, metadata: metadata.value };
  if (draft.ttl === 'never') {
    body.ttlSeconds = null;
  } else if (draft.ttl === 'seconds') {
    if (!/^[1-9]\d*$/.test(draft.ttlSeconds.trim())) {
      return { ok: false, message: 'TTL: a positive whole number of seconds' };
    }
    body.ttlSeconds = Number(draft.ttlSeconds);
  }
  return { ok: true, body };
}
