import { invalidField } from '../errors/kv.exception';
import { isCleanText } from '../validation/is-clean-text.decorator';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url JSON of an
 * array of strings. Clients must not build them; a cursor that does not decode is a 400.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidField('cursor', 'is not a cursor returned by this list');
  }
  if (!Array.isArray(parts) || parts.length !== length || !parts.every(isCleanText)) {
    throw invalidField('cursor', 'is not a cursor returned by this list');
  }
  return parts;
}
