import type { Response } from 'supertest';
import type { components } from '../../clients/typescript/src/schema';

type Schemas = components['schemas'];

export type EntryDto = Schemas['EntryDto'];
export type EntryPageDto = Schemas['EntryPageDto'];
export type EntryVersionPageDto = Schemas['EntryVersionPageDto'];
export type DeletedEntryPageDto = Schemas['DeletedEntryPageDto'];
export type BulkGetResultDto = Schemas['BulkGetResultDto'];
export type BulkSetResultDto = Schemas['BulkSetResultDto'];
export type BulkDeleteResultDto = Schemas['BulkDeleteResultDto'];
export type NamespaceDto = Schemas['NamespaceDto'];
export type NamespacePageDto = Schemas['NamespacePageDto'];
export type AuditPageDto = Schemas['AuditPageDto'];
export type ProblemDto = Schemas['ProblemDto'];
export type SnapshotDto = Schemas['SnapshotDto'];
export type SnapshotPageDto = Schemas['SnapshotPageDto'];
export type RestorePlanDto = Schemas['RestorePlanDto'];

/**
 * A response's body as the type openapi.json documents for it (the generated client's
 * schema). In the e2e project every response is also checked against that document at run
 * time (validate-responses.setup.ts), so the type is not taken on trust.
 */
export function bodyOf<T>(res: Response): T {
  return res.body as T;
}
