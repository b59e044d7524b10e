import { EntryCache } from './entry-cache';
import type { NamespaceAndEntry } from './cached-read.types';
import type { EntryEntity } from '../entry.entity';

const NS = '0b6b7f53-3f7a-4b55-9a43-1f1c8f0f7a10';

function found(version: number, expiresAt: Date | null = null): NamespaceAndEntry {
  const now = new Date();
  const entry: EntryEntity = {
    id: 'e1',
    namespaceId: NS,
    keyPath: 'a/b',
    valueType: 'STRING',
    value: `"v${version}"`,
    version,
    expiresAt,
    metadata: null,
    createdAt: now,
    updatedAt: now,
  } as EntryEntity;
  return {
    namespace: { id: NS, applicationId: 'app', isSecretNamespace: false },
    entry,
    revision: version,
  };
}

function followingCache(): EntryCache {
  const cache = new EntryCache();
  cache.setFollowing(true);
  return cache;
}

describe('EntryCache', () => {
  it('serves nothing and keeps nothing until the feed follows', () => {
    const cache = new EntryCache();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    cache.setFollowing(true);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    expect(cache.get(NS, 'a/b')?.entry?.version).toBe(1);
  });

  it('refuses what a read found if its namespace changed while the read ran', () => {
    const cache = followingCache();
    const ticket = cache.ticket(NS);
    cache.changed({ entries: [`${NS}/a/b`], namespaces: [] });
    cache.offer(NS, 'a/b', found(1), ticket);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
  });

  it('drops what it holds of a namespace when the namespace changes', () => {
    const cache = followingCache();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    cache.changed({ entries: [`${NS}/a/b`], namespaces: [] });
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    cache.offer(NS, 'a/b', found(2), cache.ticket(NS));
    expect(cache.get(NS, 'a/b')?.entry?.version).toBe(2);
  });

  it('forgets everything when the feed stops following, and voids reads begun before', () => {
    const cache = followingCache();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    const ticket = cache.ticket(NS);
    cache.setFollowing(false);
    cache.setFollowing(true);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    cache.offer(NS, 'a/b', found(1), ticket);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
  });

  it('drops the entries of a namespace that itself changes', () => {
    const cache = followingCache();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    cache.changed({ entries: [], namespaces: [NS] });
    expect(cache.get(NS, 'a/b')).toBeUndefined();
  });

  it('never keeps a missing entry or one that expires', () => {
    const cache = followingCache();
    cache.offer(NS, 'a/b', { ...found(1), entry: undefined }, cache.ticket(NS));
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    cache.offer(NS, 'a/b', found(1, new Date(Date.now() + 60_000)), cache.ticket(NS));
    expect(cache.get(NS, 'a/b')).toBeUndefined();
  });

  it('drops only the entry a change names, and refuses a read of it that ran meanwhile', () => {
    const cache = followingCache();
    const other = { ...found(1), entry: { ...found(1).entry!, keyPath: 'a/c' } };
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    cache.offer(NS, 'a/c', other, cache.ticket(NS));
    const inFlight = cache.ticket(NS);
    cache.changed({ entries: [`${NS}/a/b`], namespaces: [] });
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    expect(cache.get(NS, 'a/c')).toBe(other);
    cache.offer(NS, 'a/b', found(1), inFlight);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
    cache.offer(NS, 'a/d', { ...other, entry: { ...other.entry, keyPath: 'a/d' } }, inFlight);
    expect(cache.get(NS, 'a/d')?.entry?.keyPath).toBe('a/d');
  });

  it('drops a page only for a change in its range, and everything for a change of its namespace', () => {
    const cache = followingCache();
    const { namespace, entry } = found(1);
    const page = { namespace, entries: [entry!], revision: 1 };
    const under = (from: string, before: string) => ({ from, after: '', before, limit: 51 });
    cache.offerPage(NS, under('a/', 'a0'), false, page, cache.ticket(NS));
    cache.offerPage(NS, under('b/', 'b0'), false, page, cache.ticket(NS));
    cache.offerPage(
      NS,
      { from: 'a/', after: 'a/m', before: 'a0', limit: 51 },
      false,
      page,
      cache.ticket(NS),
    );
    cache.changed({ entries: [`${NS}/a/c`], namespaces: [] });
    expect(cache.getPage(NS, under('a/', 'a0'), false)).toBeUndefined();
    expect(cache.getPage(NS, under('b/', 'b0'), false)).toBe(page);
    expect(cache.getPage(NS, { from: 'a/', after: 'a/m', before: 'a0', limit: 51 }, false)).toBe(
      page,
    );
    cache.changed({ entries: [], namespaces: [NS] });
    expect(cache.getPage(NS, under('b/', 'b0'), false)).toBeUndefined();
  });

  it('refuses a page read while any entry of its namespace changed, and a page with an expiry', () => {
    const cache = followingCache();
    const { namespace, entry } = found(1);
    const range = { from: 'a/', after: '', before: 'a0', limit: 51 };
    const ticket = cache.ticket(NS);
    cache.changed({ entries: [`${NS}/z`], namespaces: [] });
    cache.offerPage(NS, range, false, { namespace, entries: [entry!], revision: 1 }, ticket);
    expect(cache.getPage(NS, range, false)).toBeUndefined();
    const expiring = found(1, new Date(Date.now() + 60_000)).entry!;
    cache.offerPage(
      NS,
      range,
      true,
      { namespace, entries: [expiring], revision: 1 },
      cache.ticket(NS),
    );
    expect(cache.getPage(NS, range, true)).toBeUndefined();
    cache.offerPage(
      NS,
      range,
      false,
      { namespace, entries: [entry!], revision: 1 },
      cache.ticket(NS),
    );
    expect(cache.getPage(NS, range, false)?.entries).toHaveLength(1);
    expect(cache.getPage(NS, range, true)).toBeUndefined();
  });
});
