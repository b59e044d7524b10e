import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * A line diff of two values (jsdiff's Myers diff), one item per line. Both texts end in a
 * newline before the diff, so a last line without one does not count as changed.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  return diffLines(`${before}\n`, `${after}\n`).flatMap((part) => {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    return part.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind, text }));
  });
}
