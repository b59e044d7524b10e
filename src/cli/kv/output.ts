import type { OutputFormat } from './settings';

/** A column of a table: its heading and how a row shows in it. */
export type Column<T> = [heading: string, cell: (row: T) => string];

function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = [
    columns.map(([heading]) => heading),
    ...rows.map((row) => columns.map(([, cell]) => cell(row))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Prints what a command answers: JSON as the service gave it, a table of columns, or raw (the
 * first column of each row, one a line, for scripts).
 */
export function print<T>(
  data: unknown,
  rows: T[],
  columns: Column<T>[],
  format: OutputFormat,
): void {
  switch (format) {
    case 'json':
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    case 'table':
      process.stdout.write(`${table(rows, columns)}\n`);
      return;
    case 'raw':
      process.stdout.write(rows.map((row) => `${columns[0][1](row)}\n`).join(''));
      return;
  }
}

/** A value as the shell wants it: strings as they are, anything else as JSON. */
export function rawValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
