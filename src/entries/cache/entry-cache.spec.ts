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
  return { namespace: { id: NS, applicationId: 'app', isSecretNamespace: false }, entry };
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
    cache.changed({ entries: [NS], namespaces: [] });
    cache.offer(NS, 'a/b', found(1), ticket);
    expect(cache.get(NS, 'a/b')).toBeUndefined();
  });

  it('drops what it holds of a namespace when the namespace changes', () => {
    const cache = followingCache();
    cache.offer(NS, 'a/b', found(1), cache.ticket(NS));
    cache.changed({ entries: [NS], namespaces: [] });
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

  it('keeps pages of lists until their namespace changes, and none that holds an expiry', () => {
    const cache = followingCache();
    const { namespace, entry } = found(1);
    cache.offerPage(NS, 'p1', { namespace, entries: [entry!] }, cache.ticket(NS));
    expect(cache.getPage(NS, 'p1')?.entries).toHaveLength(1);
    cache.changed({ entries: [NS], namespaces: [] });
    expect(cache.getPage(NS, 'p1')).toBeUndefined();
    const expiring = found(1, new Date(Date.now() + 60_000)).entry!;
    cache.offerPage(NS, 'p2', { namespace, entries: [entry!, expiring] }, cache.ticket(NS));
    expect(cache.getPage(NS, 'p2')).toBeUndefined();
    const ticket = cache.ticket(NS);
    cache.changed({ entries: [NS], namespaces: [] });
    cache.offerPage(NS, 'p3', { namespace, entries: [] }, ticket);
    expect(cache.getPage(NS, 'p3')).toBeUndefined();
  });
});
