import { activity, bucketSeconds } from './activity-buckets.js';

const at = (iso: string) => Date.parse(iso);

describe('activity', () => {
  it('counts reads, writes and failures per minute, every minute present', () => {
    const sut = activity(
      [
        { action: 'READ', success: true, timestamp: '2026-12-05T10:00:10Z' },
        { action: 'LIST', success: true, timestamp: '2026-12-05T10:00:50Z' },
        { action: 'WRITE', success: true, timestamp: '2026-12-05T10:02:00Z' },
        { action: 'NAMESPACE_CREATE', success: true, timestamp: '2026-12-05T10:02:30Z' },
        { action: 'WRITE', success: false, timestamp: '2026-12-05T10:02:31Z' },
        { action: 'READ', success: true, timestamp: '2026-12-05T11:00:00Z' },
      ],
      at('2026-12-05T10:00:00Z'),
      at('2026-12-05T10:03:00Z'),
    );
    expect(sut).toEqual([
      [0, 60, 120].map((offset) => at('2026-12-05T10:00:00Z') / 1000 + offset),
      [2, 0, 0],
      [0, 0, 2],
      [0, 0, 1],
    ]);
  });

  it('buckets by the hour past six hours', () => {
    expect(bucketSeconds(0, 6 * 3600 * 1000)).toBe(60);
    expect(bucketSeconds(0, 6 * 3600 * 1000 + 1)).toBe(3600);
  });
});
