import { KvPermission } from './kv-permission.enum';
import { Principal } from './principal';

describe('Principal', () => {
  it('has only the permissions it was given', () => {
    const sut = new Principal('alice', [KvPermission.EntryRead, 'something-else'], ['app-1']);
    expect(sut.has(KvPermission.EntryRead)).toBe(true);
    expect(sut.has(KvPermission.EntryWrite)).toBe(false);
  });

  it('scopes to its applications', () => {
    const sut = new Principal('alice', [], ['app-1', 'app-2']);
    expect(sut.canAccess('app-1')).toBe(true);
    expect(sut.canAccess('app-3')).toBe(false);
    expect(sut.applicationScope).toEqual(['app-1', 'app-2']);
  });

  it('treats "*" as every application', () => {
    const sut = new Principal('admin', [], ['*']);
    expect(sut.canAccess('anything')).toBe(true);
    expect(sut.applicationScope).toBeUndefined();
  });
});
