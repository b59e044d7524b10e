import createClient from 'openapi-fetch';
import type { components, paths } from '../../../clients/typescript/src/schema';

export type Schemas = components['schemas'];
export type NamespaceDto = Schemas['NamespaceDto'];
export type EntryDto = Schemas['EntryDto'];
export type ValueType = Schemas['ValueType'];
export type EntryValue = Schemas['SetEntryDto']['value'];
export type AuditLogDto = Schemas['AuditLogDto'];
export type AuditAction = Schemas['AuditAction'];
export type EntryVersionDto = Schemas['EntryVersionDto'];
export type ProblemDto = Schemas['ProblemDto'];

/**
 * The generated client of openapi.json, on this origin, with the signed-in token. Nothing is
 * kept in the browser's HTTP cache: it would hold secret values on disk, and a revalidated read
 * would be a 304 in the audit log rather than the read it was.
 */
export function createKvClient(token: string, onRefused?: () => void) {
  const client = createClient<paths>({
    baseUrl: location.origin,
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
  });
  if (onRefused !== undefined) {
    // A 401 means the token no longer works (expired, or the service's secret changed).
    client.use({
      onResponse({ response }) {
        if (response.status === 401) {
          onRefused();
        }
        return undefined;
      },
    });
  }
  return client;
}

export type KvClient = ReturnType<typeof createKvClient>;
