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
export function createKvClient(token: string) {
  return createClient<paths>({
    baseUrl: location.origin,
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
  });
}

export type KvClient = ReturnType<typeof createKvClient>;
