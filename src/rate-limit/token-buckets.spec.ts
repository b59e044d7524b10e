import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let clock: number;
  let sut: TokenBuckets;
  // 5 tokens at most, refilled at 5 a second: one every 200 ms.
  const take = (key = 'alice') => sut.take(key);

  beforeEach(() => {
    clock = 0;
    sut = new TokenBuckets(5, 5, () => clock);
  });

  it('lets a burst through at once, then refuses with the seconds to the next token', () => {
    for (let i = 0; i < 5; i++) {
      expect(take()).toBe(0);
    }
    expect(take()).toBe(1);
  });

  it('refills continuously at the rate', () => {
    for (let i = 0; i < 5; i++) {
      take();
    }
    clock = 199;
    expect(take()).toBe(1);
    clock = 400;
    expect(take()).toBe(0);
    expect(take()).toBe(0);
    expect(take()).toBe(1);
  });

  it('never stores more than the burst, however long the caller was idle', () => {
    take();
    clock = 3_600_000;
    for (let i = 0; i < 5; i++) {
      expect(take()).toBe(0);
    }
    expect(take()).toBe(1);
  });

  it('keeps one bucket per key', () => {
    for (let i = 0; i < 5; i++) {
      take('alice');
    }
    expect(take('alice')).toBe(1);
    expect(take('bob')).toBe(0);
  });

  it('tells how long a slow refill takes in whole seconds', () => {
    const slow = new TokenBuckets(1 / 60, 1, () => clock);
    expect(slow.take('slow')).toBe(0);
    expect(slow.take('slow')).toBe(60);
  });

  it('forgets idle callers once many are remembered, and only idle ones', () => {
    for (let i = 0; i < 9_999; i++) {
      take(`idle-${i}`);
    }
    clock = 500;
    take('recent');
    clock = 1000;
    take('newcomer');
    expect(sut.size).toBe(2);
  });
});
