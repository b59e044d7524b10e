import { toPage } from './page';

describe('toPage', () => {
  const sut = (rows: number[], limit: number) =>
    toPage(
      rows,
      limit,
      (n) => `c${n}`,
      (n) => n * 10,
    );

  it('returns a cursor only when a row beyond the limit was fetched', () => {
    expect(sut([1, 2, 3], 2)).toEqual({ items: [10, 20], nextCursor: 'c2' });
    expect(sut([1, 2], 2)).toEqual({ items: [10, 20], nextCursor: null });
    expect(sut([], 2)).toEqual({ items: [], nextCursor: null });
  });
});
