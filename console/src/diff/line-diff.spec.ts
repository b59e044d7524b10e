import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('keeps common lines and marks removals before additions', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });

  it('shows an unchanged value as unchanged lines only', () => {
    expect(lineDiff('one\ntwo', 'one\ntwo').every((line) => line.kind === 'same')).toBe(true);
  });

  it('handles additions at the end and removals at the start', () => {
    expect(lineDiff('a\nb', 'b\nc')).toEqual([
      { kind: 'removed', text: 'a' },
      { kind: 'same', text: 'b' },
      { kind: 'added', text: 'c' },
    ]);
  });

  it('keeps blank lines, and diffs an empty value as one empty line', () => {
    expect(lineDiff('a\n\nb', 'a\n\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'same', text: '' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'c' },
    ]);
    expect(lineDiff('', 'x')).toEqual([
      { kind: 'removed', text: '' },
      { kind: 'added', text: 'x' },
    ]);
  });
});
