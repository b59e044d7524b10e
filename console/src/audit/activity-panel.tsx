import { useEffect, useState } from 'preact/hooks';
import type { AuditLogDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { type ActivitySeries, activity, bucketSeconds } from './activity-buckets.js';
import { ActivityChart } from './activity-chart.js';
import { type AuditFilters, auditQuery } from './audit-filters.js';

/** The chart reads at most this many rows (two pages of the largest size). */
const MAX_ROWS = 2000;

interface Shown {
  series: ActivitySeries;
  bucket: 'minute' | 'hour';
  summary: string;
}

/** Activity of the filtered rows: the last hour unless the filters name a time range. */
export function ActivityPanel({ filters }: { filters: AuditFilters }) {
  const { client } = useSession();
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    const toMs = filters.to === '' ? Date.now() : new Date(filters.to).getTime();
    const fromMs = filters.from === '' ? toMs - 3600 * 1000 : new Date(filters.from).getTime();
    const query = {
      ...auditQuery(filters),
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    };
    (async () => {
      const rows: AuditLogDto[] = [];
      let cursor: string | undefined;
      do {
        const page = unwrap(
          await client.GET('/api/v1/kv/audit', {
            params: { query: { ...query, cursor, limit: 1000 } },
          }),
        );
        rows.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && rows.length < MAX_ROWS);
      const series = activity(rows, fromMs, toMs);
      const total = (column: number[]) => column.reduce((sum, value) => sum + value, 0);
      const summary =
        `${total(series[1])} reads, ${total(series[2])} writes, ${total(series[3])} failures ` +
        `from ${new Date(fromMs).toLocaleString()} to ${new Date(toMs).toLocaleString()}` +
        (cursor === undefined ? '' : ` (the latest ${rows.length} rows)`);
      if (current) {
        setShown({
          series,
          bucket: bucketSeconds(fromMs, toMs) === 60 ? 'minute' : 'hour',
          summary,
        });
      }
    })().catch((caught: unknown) => current && setError(caught));
    return () => {
      current = false;
    };
  }, [client, filters]);

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      <ErrorLine error={error} />
      {shown !== undefined && <ActivityChart {...shown} />}
    </section>
  );
}
