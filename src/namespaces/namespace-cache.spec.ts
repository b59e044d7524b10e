import type { ChangeFeed, ChangeListener } from '../events/change-feed.service';
import { NamespaceCache } from './namespace-cache';
import type { NamespaceEntity } from './namespace.entity';

const NS = '0b6b7f53-3f7a-4b55-9a43-1f1c8f0f7a10';

function namespace(): NamespaceEntity {
  return { id: NS, applicationId: 'app', name: 'ns', isSecretNamespace: false } as NamespaceEntity;
}

/** A cache and the listener it gave the change feed. */
function make(): { sut: NamespaceCache; feed: ChangeListener } {
  let listener: ChangeListener | undefined;
  const feed = { subscribe: (l: ChangeListener) => (listener = l) } as unknown as ChangeFeed;
  const sut = new NamespaceCache(feed);
  return { sut, feed: listener! };
}

describe('NamespaceCache', () => {
  it('serves nothing and keeps nothing until the feed follows', () => {
    const { sut, feed } = make();
    sut.offer(namespace(), sut.ticket(NS));
    feed.following!(true);
    expect(sut.get(NS)).toBeUndefined();
    sut.offer(namespace(), sut.ticket(NS));
    expect(sut.get(NS)?.applicationId).toBe('app');
  });

  it('keeps namespaces frozen, through changes of their entries but not of themselves', () => {
    const { sut, feed } = make();
    feed.following!(true);
    sut.offer(namespace(), sut.ticket(NS));
    const cached = sut.get(NS)!;
    expect(Object.isFrozen(cached)).toBe(true);
    feed.changed({ entries: [NS], namespaces: [] }, false);
    expect(sut.get(NS)).toBe(cached);
    feed.changed({ entries: [], namespaces: [NS] }, false);
    expect(sut.get(NS)).toBeUndefined();
  });

  it('refuses a record read while the namespace changed', () => {
    const { sut, feed } = make();
    feed.following!(true);
    const ticket = sut.ticket(NS);
    feed.changed({ entries: [], namespaces: [NS] }, false);
    sut.offer(namespace(), ticket);
    expect(sut.get(NS)).toBeUndefined();
  });

  it('forgets everything when the feed stops following, and voids reads begun before', () => {
    const { sut, feed } = make();
    feed.following!(true);
    sut.offer(namespace(), sut.ticket(NS));
    const ticket = sut.ticket(NS);
    feed.following!(false);
    feed.following!(true);
    expect(sut.get(NS)).toBeUndefined();
    sut.offer(namespace(), ticket);
    expect(sut.get(NS)).toBeUndefined();
  });
});
