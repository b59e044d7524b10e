import { auditedKeyPath } from './open-audit-context';

describe('auditedKeyPath', () => {
  it('keeps a key path of up to 512 characters whole, astral characters counted as one', () => {
    expect(auditedKeyPath('config/db/host')).toBe('config/db/host');
    expect(auditedKeyPath('k'.repeat(512))).toBe('k'.repeat(512));
    expect(auditedKeyPath('😀'.repeat(512))).toBe('😀'.repeat(512));
  });

  it('stores the first 511 characters and "…" of a longer one', () => {
    expect(auditedKeyPath('k'.repeat(2048))).toBe(`${'k'.repeat(511)}…`);
    expect(auditedKeyPath('😀'.repeat(600))).toBe(`${'😀'.repeat(511)}…`);
  });

  it('stores nothing for a key path PostgreSQL could not store, or none', () => {
    expect(auditedKeyPath('a\u0000b')).toBeNull();
    expect(auditedKeyPath('a\ud800b')).toBeNull();
    expect(auditedKeyPath(undefined)).toBeNull();
  });
});
