import type { EntryDto, KvClient } from '../api/kv-client.js';
import { ApiError, unwrap } from '../api/problem.js';

/** Reads an entry with its value: an audited READ. */
export async function readEntry(client: KvClient, nsId: string, key: string): Promise<EntryDto> {
  return unwrap(
    await client.GET('/api/v1/kv/{nsId}/entries/{key}', { params: { path: { nsId, key } } }),
  );
}

/**
 * An entry without its value, from the listing: how a secret entry is shown before Reveal,
 * so that opening it reads no secret. The key sorts first among those it is a prefix of.
 */
export async function describeEntry(
  client: KvClient,
  nsId: string,
  key: string,
): Promise<EntryDto> {
  const page = unwrap(
    await client.GET('/api/v1/kv/{nsId}/entries', {
      params: { path: { nsId }, query: { prefix: key, limit: 1 } },
    }),
  );
  const entry = page.items.find((item) => item.keyPath === key);
  if (entry === undefined) {
    throw new ApiError(404, 'ENTRY_NOT_FOUND', `no entry ${key}`);
  }
  return entry;
}
