import { GroupCommit, GroupCommitFull } from './group-commit';

describe('GroupCommit', () => {
  it('flushes items added together in one batch and resolves each', async () => {
    const batches: number[][] = [];
    const sut = new GroupCommit<number>((items) => {
      batches.push(items);
      return Promise.resolve();
    });
    await Promise.all([sut.add(1), sut.add(2), sut.add(3)]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers items added during a flush into the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const sut = new GroupCommit<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) {
        await new Promise<void>((resolve) => (release = resolve));
      }
    });
    const first = sut.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [sut.add(2), sut.add(3)];
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('rejects every item of a failed batch and keeps working', async () => {
    let fail = true;
    const sut = new GroupCommit<number>(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(),
    );
    await expect(Promise.all([sut.add(1), sut.add(2)])).rejects.toThrow('down');
    fail = false;
    await expect(sut.add(3)).resolves.toBeUndefined();
  });

  it('splits batches at the maximum size', async () => {
    const sizes: number[] = [];
    const sut = new GroupCommit<number>(
      (items) => {
        sizes.push(items.length);
        return Promise.resolve();
      },
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => sut.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('runs up to `concurrency` flushes at once, gathering the rest into the next', async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    const sut = new GroupCommit<number>(
      (items) => {
        batches.push(items);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      { concurrency: 2 },
    );
    const first = sut.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = sut.add(2);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [sut.add(3), sut.add(4)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2]]);
    releases[0]();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2], [3, 4]]);
    releases.slice(1).forEach((release) => release());
    await Promise.all([second, ...rest]);
  });

  it("gives each item its own result, in the flush's order", async () => {
    const sut = new GroupCommit<number, string>((items) =>
      Promise.resolve(items.map((n) => `#${n}`)),
    );
    await expect(Promise.all([sut.add(1), sut.add(2)])).resolves.toEqual(['#1', '#2']);
  });

  it('never puts two items of one key in one flush', async () => {
    const batches: string[][] = [];
    const sut = new GroupCommit<string>(
      (items) => {
        batches.push(items);
        return Promise.resolve();
      },
      { keyOf: (item) => item.split(':')[0] },
    );
    await Promise.all(['a:1', 'b:1', 'a:2', 'a:3', 'c:1'].map((item) => sut.add(item)));
    expect(batches).toEqual([['a:1', 'b:1', 'c:1'], ['a:2'], ['a:3']]);
  });

  it('takes a hot key one item per flush, in order, behind the other keys, and refuses past its bound', async () => {
    const batches: string[][] = [];
    const sut = new GroupCommit<string>(
      (items) => {
        batches.push(items);
        return Promise.resolve();
      },
      { keyOf: (item) => item.split(':')[0], maxWaitingPerKey: 20_000 },
    );
    const hot = Array.from({ length: 20_000 }, (_, i) => sut.add(`hot:${i}`));
    const cold = [sut.add('a:0'), sut.add('b:0')];
    await expect(sut.add('hot:overflow')).rejects.toBeInstanceOf(GroupCommitFull);
    await Promise.all([...hot, ...cold]);

    expect(batches).toHaveLength(20_000);
    expect(batches[0]).toEqual(['hot:0', 'a:0', 'b:0']);
    expect(batches.slice(1).every((batch) => batch.length === 1)).toBe(true);
    expect(batches.map((batch) => batch[0])).toEqual(
      Array.from({ length: 20_000 }, (_, i) => `hot:${i}`),
    );
  });

  it('fails only the bad item of a failed flush when failures may be isolated', async () => {
    const flushed: number[][] = [];
    const sut = new GroupCommit<number>(
      (items) => {
        flushed.push(items);
        return items.includes(13) ? Promise.reject(new Error('bad record')) : Promise.resolve();
      },
      { isolateFailures: () => true },
    );
    const outcomes = await Promise.allSettled([1, 2, 13, 4, 5].map((n) => sut.add(n)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(flushed).toEqual([[1, 2, 13, 4, 5], [1, 2, 13], [1, 2], [13], [4, 5]]);
  });

  it('fails the whole flush at once when the error is not one of an item', async () => {
    let flushes = 0;
    const sut = new GroupCommit<number>(
      () => {
        flushes += 1;
        return Promise.reject(new Error('down'));
      },
      { isolateFailures: (error) => (error as Error).message !== 'down' },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => sut.add(n)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(flushes).toBe(1);
  });

  it('never flushes items of one group in two flushes at once, but other groups alongside', async () => {
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    const sut = new GroupCommit<string>(
      (items) => {
        batches.push(items);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      { concurrency: 2, maxBatch: 2, groupOf: (item) => item[0] },
    );
    const all = ['a1', 'a2', 'a3', 'b1', 'a4'].map((item) => sut.add(item));
    await new Promise((resolve) => setImmediate(resolve));
    // a1 and a2 fill the first flush; a3 and a4 wait for it while b1 goes alongside.
    expect(batches).toEqual([['a1', 'a2'], ['b1']]);
    releases[0]();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a1', 'a2'], ['b1'], ['a3', 'a4']]);
    releases.slice(1).forEach((release) => release());
    await Promise.all(all);
  });
});
