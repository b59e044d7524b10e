import type { DataKeysService, SealedKeyIds } from './data-keys.service';
import { SealStatusService, keysSealed } from './seal-status.service';

/** The part of DataKeysService readiness uses, with its answers under the test's control. */
class FakeDataKeys {
  openFailures = 0;
  answer: SealedKeyIds = { missing: [], mismatched: [], damaged: 0 };
  readonly probe = jest.fn(() => Promise.resolve(this.answer));
}

describe('SealStatusService', () => {
  let dataKeys: FakeDataKeys;
  let sut: SealStatusService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') });
    dataKeys = new FakeDataKeys();
    sut = new SealStatusService(dataKeys as unknown as DataKeysService);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('reports up when every master key in use opens its data keys', async () => {
    await expect(sut.status()).resolves.toEqual({ status: 'up' });
  });

  it('reports sealed with the missing and the mismatched ids', async () => {
    dataKeys.answer = { missing: ['k2'], mismatched: ['default'], damaged: 0 };
    const status = await sut.status();
    expect(status).toEqual({
      status: 'sealed',
      missingMasterKeyIds: ['k2'],
      mismatchedMasterKeyIds: ['default'],
      damagedDataKeys: 0,
    });
    expect(keysSealed(status)).toBe(true);
  });

  it('reports damaged data keys as sealed without calling the keys of this process wrong', async () => {
    dataKeys.answer = { missing: [], mismatched: [], damaged: 2 };
    const status = await sut.status();
    expect(status).toEqual({
      status: 'sealed',
      missingMasterKeyIds: [],
      mismatchedMasterKeyIds: [],
      damagedDataKeys: 2,
    });
    expect(keysSealed(status)).toBe(false);
    expect(keysSealed({ status: 'up' })).toBe(false);
  });

  it('answers from the last probe for 30 s, then probes again', async () => {
    await sut.status();
    dataKeys.answer = { missing: [], mismatched: ['default'], damaged: 0 };
    jest.advanceTimersByTime(29_000);
    await expect(sut.status()).resolves.toEqual({ status: 'up' });
    expect(dataKeys.probe).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_000);
    await expect(sut.status()).resolves.toMatchObject({ status: 'sealed' });
    expect(dataKeys.probe).toHaveBeenCalledTimes(2);
  });

  it('probes again at once after a data key failed to open', async () => {
    await sut.status();
    dataKeys.answer = { missing: [], mismatched: ['default'], damaged: 0 };
    dataKeys.openFailures += 1;
    await expect(sut.status()).resolves.toMatchObject({ status: 'sealed' });
    expect(dataKeys.probe).toHaveBeenCalledTimes(2);
  });

  it('shares one probe between concurrent callers', async () => {
    const answers = await Promise.all([sut.status(), sut.status(), sut.status()]);
    expect(answers).toEqual([{ status: 'up' }, { status: 'up' }, { status: 'up' }]);
    expect(dataKeys.probe).toHaveBeenCalledTimes(1);
  });
});
