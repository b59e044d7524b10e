import { FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  it('answers failures of an address up to its burst, then says how long to wait, and counts both', () => {
    const sut = new FailedAuthLimiter(1, 2);
    expect([sut.take('10.0.0.1'), sut.take('10.0.0.1'), sut.take('10.0.0.1')]).toEqual([0, 0, 1]);
    expect(sut.take('10.0.0.2')).toBe(0);
    expect(sut.counts).toEqual({ answered: 3, limited: 1 });
  });

  it('gives the addresses of one IPv6 /64 one budget', () => {
    const sut = new FailedAuthLimiter(1, 1);
    expect(sut.take('2001:db8::1')).toBe(0);
    expect(sut.take('2001:db8::2')).toBe(1);
  });

  it('answers every failure with a rate of 0', () => {
    const sut = new FailedAuthLimiter(0, 1);
    expect([sut.take('10.0.0.1'), sut.take('10.0.0.1')]).toEqual([0, 0]);
  });
});
