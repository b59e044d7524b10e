/** The permissions a token's `permissions` claim may grant (CONTRACT §2). */
export enum KvPermission {
  NamespaceRead = 'kv-namespace:read',
  NamespaceWrite = 'kv-namespace:write',
  NamespaceDelete = 'kv-namespace:delete',
  EntryRead = 'kv-entry:read',
  EntryWrite = 'kv-entry:write',
  EntryDelete = 'kv-entry:delete',
  SecretRotate = 'kv-secret:rotate',
  AuditRead = 'kv-audit:read',
}

export const ALL_PERMISSIONS: readonly KvPermission[] = Object.values(KvPermission);
