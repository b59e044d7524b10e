import { RUNS } from './bench-config';
import { Figures } from './measure';
import { Scenario, ScenarioId } from './scenarios';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const int = (n: number) => String(Math.round(n));
const ms = (n: number) => (n < 10 ? n.toFixed(1) : int(n));
const ratio = (n: number) => n.toFixed(2);

interface Check {
  label: string;
  pass: boolean;
}

type All = Map<ScenarioId, Figures>;

const rpsOf = (all: All, id: ScenarioId) => median(all.get(id)!.service.map((m) => m.rps));
const etcdRpsOf = (all: All, id: ScenarioId) => {
  const runs = all.get(id)?.etcd ?? [];
  return runs.length === 0 ? undefined : median(runs.map((m) => m.rps));
};

/** Issue 19's targets, on the medians of the runs; the etcd ones only where etcd ran. */
function checks(id: ScenarioId, all: All): Check[] {
  const figures = all.get(id)!;
  const rps = rpsOf(all, id);
  const p99 = median(figures.service.map((m) => m.p99));
  const cpu = median(figures.service.map((m) => m.cpuUs));
  const etcdGet = etcdRpsOf(all, 'get-plain');
  const versus = (times: number, etcd: number | undefined, what: string): Check[] =>
    etcd === undefined
      ? []
      : [{ label: `≥ ${times}× etcd ${what} (${ratio(rps / etcd)}×)`, pass: rps >= times * etcd }];
  const p99Check = { label: 'p99 ≤ 20 ms', pass: p99 <= 20 };
  switch (id) {
    case 'get-plain':
      return [
        ...versus(1.5, etcdGet, 'GET'),
        { label: 'CPU ≤ 110 µs', pass: cpu <= 110 },
        p99Check,
      ];
    case 'get-secret': {
      if (!all.has('get-plain')) {
        return [p99Check];
      }
      const share = rps / rpsOf(all, 'get-plain');
      return [{ label: `≥ 0.9× cold GET plain (${ratio(share)}×)`, pass: share >= 0.9 }, p99Check];
    }
    case 'mixed':
      return versus(1.3, etcdGet, 'GET');
    case 'put-plain':
      return [
        ...versus(0.8, etcdRpsOf(all, 'put-plain'), 'PUT'),
        { label: 'CPU ≤ 160 µs', pass: cpu <= 160 },
      ];
    case 'hot-get':
      return [{ label: '≥ 10000 req/s', pass: rps >= 10_000 }, p99Check];
    case 'put-secret':
    case 'list':
    case 'bulk-get':
      return [];
  }
}

/** A markdown table padded the way prettier pads one, so it can go into the README as is. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function report(list: Scenario[], all: All): { table: string; failed: string[] } {
  const failed: string[] = [];
  const rows = list.map((scenario) => {
    const f = all.get(scenario.id)!;
    const rps = f.service.map((m) => m.rps);
    const etcdRps = etcdRpsOf(all, scenario.id);
    const baseline = median(f.baselineRps);
    const targets = checks(scenario.id, all);
    failed.push(...targets.filter((t) => !t.pass).map((t) => `${scenario.name}: ${t.label}`));
    return [
      scenario.name,
      `${int(median(rps))} (${int(Math.min(...rps))}–${int(Math.max(...rps))})`,
      ms(median(f.service.map((m) => m.p50))),
      ms(median(f.service.map((m) => m.p99))),
      int(median(f.service.map((m) => m.cpuUs))),
      f.hitShare.every((share) => share === undefined)
        ? '—'
        : `${(100 * median(f.hitShare.map((share) => share ?? 0))).toFixed(1)} %`,
      etcdRps === undefined ? '—' : int(etcdRps),
      etcdRps === undefined ? '—' : int(median(f.etcd.map((m) => m.cpuUs))),
      etcdRps === undefined ? '—' : ratio(median(rps) / etcdRps),
      int(baseline),
      ratio(median(rps) / baseline),
      targets.length === 0
        ? '—'
        : targets.map((t) => `${t.label} ${t.pass ? 'PASS' : 'FAIL'}`).join('; '),
    ];
  });
  const header = [
    'scenario',
    `req/s median (min–max of ${RUNS})`,
    'p50 ms',
    'p99 ms',
    'service CPU µs/req',
    'read cache hits',
    'etcd req/s',
    'etcd CPU µs/req',
    'service / etcd',
    'DB baseline req/s',
    'service / baseline',
    'issue 19 target',
  ];
  return { table: markdownTable(header, rows), failed };
}
