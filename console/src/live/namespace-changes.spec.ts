import { ApiError } from '../api/problem.js';
import { type ChangesPage, type KeyChange, watchNamespace } from './namespace-changes.js';

function change(revision: number, keyPath: string): KeyChange {
  return { revision, keyPath, type: 'kv.entry.updated', actor: 'bob', at: '2026-12-05T10:00:00Z' };
}

/** A feed that answers from a script, one step per read, then waits until aborted. */
function scriptedFeed(steps: (ChangesPage | Error)[]) {
  const asked: (number | undefined)[] = [];
  const read = (since: number | undefined, signal: AbortSignal) => {
    asked.push(since);
    const step = steps.shift();
    if (step === undefined) {
      return new Promise<ChangesPage>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    }
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { read, asked };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('watchNamespace', () => {
  it('resumes after the last revision answered and reports each batch of changes', async () => {
    const feed = scriptedFeed([
      { items: [], revision: 7 },
      { items: [change(8, 'a'), change(9, 'b')], revision: 9 },
      { items: [change(12, 'a')], revision: 12 },
    ]);
    const batches: string[][] = [];
    const stop = watchNamespace(feed.read, {
      onChanges: (changes) => batches.push(changes.map((item) => item.keyPath)),
      onResync: () => undefined,
      onStopped: () => undefined,
    });
    await settle();
    stop();
    expect(feed.asked).toEqual([undefined, 7, 9, 12]);
    expect(batches).toEqual([['a', 'b'], ['a']]);
  });

  it('starts after the revision given, reporting a change made before its first read answered', async () => {
    const feed = scriptedFeed([
      { items: [change(8, 'between')], revision: 8 },
      { items: [], revision: 8 },
    ]);
    const batches: string[][] = [];
    const stop = watchNamespace(
      feed.read,
      {
        onChanges: (changes) => batches.push(changes.map((item) => item.keyPath)),
        onResync: () => undefined,
        onStopped: () => undefined,
      },
      { sinceRevision: 7 },
    );
    await settle();
    stop();
    expect(feed.asked).toEqual([7, 8, 8]);
    expect(batches).toEqual([['between']]);
  });

  it('starts at revision 0 of an empty namespace, not from now on', async () => {
    const feed = scriptedFeed([]);
    const stop = watchNamespace(
      feed.read,
      { onChanges: () => undefined, onResync: () => undefined, onStopped: () => undefined },
      { sinceRevision: 0 },
    );
    await settle();
    stop();
    expect(feed.asked).toEqual([0]);
  });

  it('on REVISION_COMPACTED asks for a resync and resumes from the revision the problem names', async () => {
    const feed = scriptedFeed([
      { items: [], revision: 3 },
      new ApiError(410, 'REVISION_COMPACTED', 'revision 3 is older than the history kept', [], 40),
      { items: [change(41, 'x')], revision: 41 },
    ]);
    const resyncs: number[] = [];
    const stop = watchNamespace(feed.read, {
      onChanges: () => undefined,
      onResync: () => resyncs.push(1),
      onStopped: () => undefined,
    });
    await settle();
    stop();
    expect(resyncs).toHaveLength(1);
    expect(feed.asked).toEqual([undefined, 3, 40, 41]);
  });

  it('retries a failure that may pass, and stops on a refusal', async () => {
    const feed = scriptedFeed([
      new ApiError(503, 'SERVICE_UNAVAILABLE', 'down'),
      new TypeError('Failed to fetch'),
      { items: [], revision: 5 },
      new ApiError(404, 'NAMESPACE_NOT_FOUND', 'gone'),
      { items: [], revision: 6 },
    ]);
    const stopped: string[] = [];
    watchNamespace(
      feed.read,
      {
        onChanges: () => undefined,
        onResync: () => undefined,
        onStopped: (error) => stopped.push(error.code),
      },
      { retryMs: 1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toEqual(['NAMESPACE_NOT_FOUND']);
    expect(feed.asked).toEqual([undefined, undefined, undefined, 5]);
  });

  it('stops reading and reporting once stopped, cutting the read in flight', async () => {
    let aborted = false;
    const reported: KeyChange[][] = [];
    const stop = watchNamespace(
      (_since, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ items: [change(1, 'late')], revision: 1 });
          });
        }),
      {
        onChanges: (changes) => reported.push(changes),
        onResync: () => undefined,
        onStopped: () => undefined,
      },
    );
    stop();
    await settle();
    expect(aborted).toBe(true);
    expect(reported).toEqual([]);
  });
});
