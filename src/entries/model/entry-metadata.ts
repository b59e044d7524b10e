import { invalidField } from '../../common/errors/kv.exception';

export const MAX_METADATA_BYTES = 16384;

/** JSON text of metadata, or null; 400 naming `field` when it is too large. */
export function serializeMetadata(
  metadata: Record<string, unknown> | null | undefined,
  field = 'metadata',
): string | null {
  const serialized = metadata === undefined || metadata === null ? null : JSON.stringify(metadata);
  if (serialized !== null && Buffer.byteLength(serialized) > MAX_METADATA_BYTES) {
    throw invalidField(field, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  }
  return serialized;
}
