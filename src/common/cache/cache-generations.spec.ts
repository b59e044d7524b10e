import { CacheGenerations } from './cache-generations';

describe('CacheGenerations', () => {
  it('remembers the last change of each namespace', () => {
    const sut = new CacheGenerations(10);
    sut.set('a', 3);
    sut.set('b', 5);
    sut.set('a', 7);
    expect([sut.of('a'), sut.of('b'), sut.of('never-changed')]).toEqual([7, 5, 0]);
  });

  it('never lets a forgotten namespace fall back to a number something was cached with', () => {
    const sut = new CacheGenerations(2);
    const cachedAt = sut.of('a');
    sut.set('a', 1);
    sut.set('b', 2);
    sut.set('c', 3); // forgets a
    expect(sut.of('a')).not.toBe(cachedAt);
    expect(sut.of('a')).toBeGreaterThanOrEqual(1);
    // Holding at most two, however many namespaces change.
    for (let i = 0; i < 1000; i += 1) {
      sut.set(`n${i}`, 4 + i);
    }
    expect(sut.of('b')).toBeGreaterThanOrEqual(2);
    expect(sut.of('c')).toBeGreaterThanOrEqual(3);
  });
});
