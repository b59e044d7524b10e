import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ActivitySeries } from './activity-buckets.js';

interface Props {
  series: ActivitySeries;
  bucket: 'minute' | 'hour';
  summary: string;
}

/** Reads, writes and failures over time (uPlot); the caption carries the totals as text. */
export function ActivityChart({ series, bucket, summary }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (container === null) {
      return undefined;
    }
    const plot = new uPlot(
      {
        width: Math.max(320, container.clientWidth),
        height: 220,
        series: [
          {},
          // Sixty or more buckets: a marker on each would hide the lines.
          { label: 'reads', stroke: '#1f6feb', width: 2, points: { show: false } },
          { label: 'writes', stroke: '#1a7f37', width: 2, points: { show: false } },
          { label: 'failures', stroke: '#cf222e', width: 2, dash: [6, 3], points: { show: false } },
        ],
        axes: [{}, { label: `per ${bucket}` }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      series,
      container,
    );
    return () => plot.destroy();
  }, [series, bucket]);
  return (
    <figure class="chart">
      <div ref={ref} role="img" aria-label={`Activity chart: ${summary}`} />
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
