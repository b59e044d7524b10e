import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  it('shares the pass running with a caller who asks meanwhile, and runs anew after it', async () => {
    let release!: () => void;
    let calls = 0;
    const passes = new PeriodicPass(() => {
      calls += 1;
      return new Promise<number>((resolve) => (release = () => resolve(calls)));
    });
    const first = passes.run();
    const second = passes.run();
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    const third = passes.run();
    release();
    expect(await third).toBe(2);
  });

  it('stop() clears its timers and waits for the pass running', async () => {
    let finished = false;
    let release!: () => void;
    const passes = new PeriodicPass(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        }),
    );
    const onTimer = jest.fn(() => Promise.resolve());
    passes.start(60_000, 60_000, onTimer);
    void passes.run();
    const stopped = passes.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(onTimer).not.toHaveBeenCalled();
  });
});
