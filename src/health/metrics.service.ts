import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { workerId } from '../cluster/worker-id';
import { EntryCache } from '../entries/cache/entry-cache';
import { BatchedEntryWriter } from '../entries/store/batched-entry-writer.service';
import { OutboxService } from '../events/outbox.service';
import { FailedAuthLimiter } from '../rate-limit/failed-auth-limiter';

/**
 * Prometheus metrics of this process: process defaults and HTTP durations. Under KV_WORKERS > 1,
 * of the one worker that answers the scrape, which labels every series with its `worker` id.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    outbox: OutboxService,
    cache: EntryCache,
    failures: FailedAuthLimiter,
    batchedWriter: BatchedEntryWriter,
  ) {
    // Each scrape is answered by one worker, with its own figures: the label says which.
    const worker = workerId();
    if (worker !== undefined) {
      this.registry.setDefaultLabels({ worker: String(worker) });
    }
    collectDefaultMetrics({ register: this.registry });
    // Read at scrape time, so the figures are those of the database, across replicas.
    let stats: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
    const current = () =>
      (stats ??= outbox.pendingStats().finally(() => setImmediate(() => (stats = undefined))));
    // Counted by the cache at no cost per read; taken from it at scrape time.
    for (const outcome of ['hits', 'misses'] as const) {
      let reported = 0;
      new Counter({
        name: `kv_read_cache_${outcome}_total`,
        help: `Reads of entries and pages of lists the read cache ${outcome === 'hits' ? 'answered' : 'could not answer'}`,
        registers: [this.registry],
        collect() {
          this.inc(cache.lookups[outcome] - reported);
          reported = cache.lookups[outcome];
        },
      });
    }
    this.countedBy(
      'kv_batched_write_fallbacks_total',
      'Plain writes the batched writer left to the locking writer: because the batch statement ' +
        'failed (failed), or because it could not decide them (undecided: a tombstone or expired ' +
        'row in the way, a version that does not match, a racing first insert)',
      'reason',
      batchedWriter.fallbacks,
    );
    this.countedBy(
      'kv_auth_failures_total',
      'Requests refused for their token (401) or its permissions (403): answered and audited ' +
        "within the client address's budget, or limited (429, unaudited) past it",
      'outcome',
      failures.counts,
    );
    new Gauge({
      name: 'kv_outbox_pending_events',
      help: 'Change events committed but not yet confirmed by the broker',
      registers: [this.registry],
      async collect() {
        this.set((await current()).pending);
      },
    });
    new Gauge({
      name: 'kv_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest change event not yet confirmed by the broker (0 when none)',
      registers: [this.registry],
      async collect() {
        this.set((await current()).oldestAgeSeconds);
      },
    });
  }

  /**
   * A counter per key of `counts`, which its owner raises at no cost per request; the counter
   * takes what was added since the last scrape.
   */
  private countedBy(name: string, help: string, label: string, counts: Record<string, number>) {
    const reported: Record<string, number> = {};
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        for (const [value, count] of Object.entries(counts)) {
          this.labels({ [label]: value }).inc(count - (reported[value] ?? 0));
          reported[value] = count;
        }
      },
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // One child per label set, kept: labelling on every observation hashed the labels anew.
    const series = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
    fastify.addHook('onResponse', (request, reply, done) => {
      // The route template, never the raw URL: keys and ids would explode the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      const id = `${request.method} ${reply.statusCode} ${route}`;
      let child = series.get(id);
      if (child === undefined) {
        child = this.httpDuration.labels({
          method: request.method,
          route,
          status: reply.statusCode,
        });
        series.set(id, child);
      }
      child.observe(reply.elapsedTime / 1000);
      done();
    });
  }
}
