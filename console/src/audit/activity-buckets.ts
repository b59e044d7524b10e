import type { AuditAction } from '../api/kv-client.js';

export interface AuditRowLike {
  action: AuditAction;
  success: boolean;
  timestamp: string;
}

/** Counts per time bucket, in uPlot's column order: times (Unix seconds), reads, writes, failures. */
export type ActivitySeries = [number[], number[], number[], number[]];

const READS: ReadonlySet<AuditAction> = new Set(['READ', 'LIST', 'AUDIT_READ']);

/** A minute per bucket up to six hours, an hour beyond. */
export function bucketSeconds(fromMs: number, toMs: number): number {
  return toMs - fromMs <= 6 * 3600 * 1000 ? 60 : 3600;
}

/**
 * Reads, writes and failures per bucket between two instants, every bucket present (zeros
 * included) so the chart's gaps are real quiet. A failure counts as a failure only.
 */
export function activity(
  rows: readonly AuditRowLike[],
  fromMs: number,
  toMs: number,
): ActivitySeries {
  const size = bucketSeconds(fromMs, toMs);
  const first = Math.floor(fromMs / 1000 / size) * size;
  const count = Math.max(1, Math.ceil((toMs / 1000 - first) / size));
  const series: ActivitySeries = [
    Array.from({ length: count }, (_, index) => first + index * size),
    new Array<number>(count).fill(0),
    new Array<number>(count).fill(0),
    new Array<number>(count).fill(0),
  ];
  for (const row of rows) {
    const index = Math.floor((Date.parse(row.timestamp) / 1000 - first) / size);
    if (index < 0 || index >= count) {
      continue;
    }
    const column = !row.success ? 3 : READS.has(row.action) ? 1 : 2;
    series[column][index]++;
  }
  return series;
}
