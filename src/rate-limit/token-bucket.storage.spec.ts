import { TokenBucketStorage } from './token-bucket.storage';

describe('TokenBucketStorage', () => {
  let clock: number;
  let sut: TokenBucketStorage;
  // 5 tokens at most, refilled at 5 per 1000 ms: one every 200 ms.
  const hit = (key = 'alice') => sut.increment(key, 1000, 5);

  beforeEach(() => {
    clock = 0;
    sut = new TokenBucketStorage(() => clock);
  });

  it('lets a burst of `limit` through at once, then blocks with the seconds to the next token', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await hit()).isBlocked).toBe(false);
    }
    await expect(hit()).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
  });

  it('refills continuously at limit per ttl', async () => {
    for (let i = 0; i < 5; i++) {
      await hit();
    }
    clock = 199;
    expect((await hit()).isBlocked).toBe(true);
    clock = 400;
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
  });

  it('never stores more than limit tokens, however long the caller was idle', async () => {
    await hit();
    clock = 3_600_000;
    for (let i = 0; i < 5; i++) {
      expect((await hit()).isBlocked).toBe(false);
    }
    expect((await hit()).isBlocked).toBe(true);
  });

  it('keeps one bucket per key', async () => {
    for (let i = 0; i < 5; i++) {
      await hit('alice');
    }
    expect((await hit('alice')).isBlocked).toBe(true);
    expect((await hit('bob')).isBlocked).toBe(false);
  });

  it('tells how long a slow refill takes in whole seconds', async () => {
    await sut.increment('slow', 60_000, 1);
    await expect(sut.increment('slow', 60_000, 1)).resolves.toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 60,
    });
  });

  it('forgets idle callers once many are remembered, and only idle ones', async () => {
    for (let i = 0; i < 9_999; i++) {
      await hit(`idle-${i}`);
    }
    clock = 500;
    await hit('recent');
    clock = 1000;
    await hit('newcomer');
    expect(sut.size).toBe(2);
  });
});
