/** The permissions of the contract, as tokens carry them. */
export const Permission = {
  NamespaceRead: 'kv-namespace:read',
  NamespaceWrite: 'kv-namespace:write',
  NamespaceDelete: 'kv-namespace:delete',
  EntryRead: 'kv-entry:read',
  EntryWrite: 'kv-entry:write',
  EntryDelete: 'kv-entry:delete',
  SecretRotate: 'kv-secret:rotate',
  AuditRead: 'kv-audit:read',
} as const;
