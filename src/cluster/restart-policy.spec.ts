import { RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 500, stableAfterMs: 1000, maxUnstableExits: 6 };
  let sut: RestartPolicy;

  beforeEach(() => {
    sut = new RestartPolicy(options);
  });

  it('restarts a worker that had run stably after the base delay, every time', () => {
    expect([sut.exited(5000), sut.exited(5000), sut.exited(1000)]).toEqual([100, 100, 100]);
  });

  it('doubles the delay for each unstable exit in a row, up to the maximum', () => {
    expect([10, 10, 10, 10, 10].map((uptime) => sut.exited(uptime))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });

  it('gives up at the last unstable exit in a row allowed', () => {
    [10, 10, 10, 10, 10].forEach((uptime) => sut.exited(uptime));
    expect(sut.exited(10)).toBeUndefined();
    expect(sut.unstableInARow).toBe(6);
  });

  it('starts the count afresh after a worker that ran stably', () => {
    [10, 10, 10, 10].forEach((uptime) => sut.exited(uptime));
    expect(sut.exited(2000)).toBe(100);
    expect(sut.exited(10)).toBe(200);
  });
});
