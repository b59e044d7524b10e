import { RUNS, SECONDS, WARMUP_SECONDS, WORKERS } from './bench-config';
import { BackgroundWriter } from './background-writer';
import { HttpTarget, Measured, cannon, drive } from './drive';
import { Scenario } from './scenarios';
import { scrape } from './service-process';

export interface Figures {
  service: Measured[];
  /** Share of the runs' read-cache lookups the cache answered; undefined when none were made. */
  hitShare: (number | undefined)[];
  etcd: Measured[];
  baselineRps: number[];
}

export interface Targets {
  service: HttpTarget;
  etcd?: HttpTarget;
  background: BackgroundWriter;
}

const log = (line: string) => console.log(`[bench] ${line}`);

/**
 * The read cache's answered and unanswered lookups so far, summed over the workers: a scrape
 * is one worker's, and each new connection goes to the next one.
 */
async function cacheLookups(port: number): Promise<{ hits: number; misses: number }> {
  const perWorker = new Map<string, { hits: number; misses: number }>();
  for (let tries = 0; perWorker.size < WORKERS && tries < 20 * WORKERS; tries += 1) {
    const text = await scrape(port);
    const value = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const worker = /^process_start_time_seconds(?:\{worker="(\d+)"\})? /m.exec(text)?.[1] ?? '-';
    perWorker.set(worker, {
      hits: value('kv_read_cache_hits_total'),
      misses: value('kv_read_cache_misses_total'),
    });
  }
  let hits = 0;
  let misses = 0;
  perWorker.forEach((counts) => {
    hits += counts.hits;
    misses += counts.misses;
  });
  return { hits, misses };
}

/** The service's runs with the background writes going on, as in production. */
async function serviceRun(scenario: Scenario, targets: Targets, seconds: number) {
  targets.background.start();
  try {
    return await cannon(targets.service, scenario.request, { seconds });
  } finally {
    await targets.background.stop();
  }
}

/**
 * Warm-ups first (the JIT's, on keys the runs will not read), then RUNS runs of the service
 * alternating with RUNS of etcd where etcd has the scenario, then the DB baseline's.
 */
export async function measure(scenario: Scenario, targets: Targets): Promise<Figures> {
  const figures: Figures = { service: [], hitShare: [], etcd: [], baselineRps: [] };
  const etcd = scenario.etcd && targets.etcd;
  if (scenario.warm) {
    const reads = scenario.warm;
    let next = 0;
    // Each worker has a cache of its own, and each connection stays with one worker: with
    // several, every key is read a few times over, so that each worker likely holds it.
    const passes = WORKERS === 1 ? 1 : 3 * WORKERS;
    await cannon(targets.service, () => reads[next++ % reads.length], {
      amount: passes * reads.length,
    });
  }
  await serviceRun(scenario, targets, WARMUP_SECONDS);
  if (etcd) {
    await cannon(etcd, scenario.etcd!, { seconds: WARMUP_SECONDS });
  }
  for (let i = 1; i <= RUNS; i += 1) {
    const before = await cacheLookups(targets.service.port);
    const run = await serviceRun(scenario, targets, SECONDS);
    const after = await cacheLookups(targets.service.port);
    const hits = after.hits - before.hits;
    const looked = hits + after.misses - before.misses;
    figures.service.push(run);
    figures.hitShare.push(looked === 0 ? undefined : hits / looked);
    let line = `${scenario.name}: run ${i}/${RUNS}: service ${Math.round(run.rps)} req/s, p99 ${run.p99} ms, ${Math.round(run.cpuUs)} µs CPU`;
    if (etcd) {
      const other = await cannon(etcd, scenario.etcd!, { seconds: SECONDS });
      figures.etcd.push(other);
      line += `; etcd ${Math.round(other.rps)} req/s, ${Math.round(other.cpuUs)} µs CPU`;
    }
    log(line);
  }
  await drive(scenario.baseline, WARMUP_SECONDS);
  for (let i = 1; i <= RUNS; i += 1) {
    figures.baselineRps.push(await drive(scenario.baseline, SECONDS));
  }
  log(`${scenario.name}: DB baseline ${figures.baselineRps.map(Math.round).join(', ')} req/s`);
  return figures;
}
