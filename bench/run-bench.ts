/**
 * npm run bench — the benchmark of issue 19: the workload users have. Starts the production
 * build (`node dist/main.js`, KV_WORKERS=BENCH_WORKERS) on a fresh database of the real
 * PostgreSQL with RabbitMQ connected (a private exchange, deleted at the end), seeds plain and
 * secret namespaces through bulk set, and drives each scenario with autocannon while a
 * background writer keeps the outbox relay publishing. Cold scenarios read every key at most
 * once, in random order, with no warm pass; etcd 3.4 (Debian's etcd-server) runs beside it on
 * the same keys, its runs alternating with the service's; the same work straight through `pg`
 * is the database's ceiling. Prints one markdown table with the targets.
 *
 * Exits 0 whatever the targets say (the table says it); exits 1 when the benchmark itself
 * fails, a non-2xx response included, after printing the tail of each child's log.
 */
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ALL_PERMISSIONS } from '../src/permissions/kv-permission.enum';
import { mintToken } from '../src/permissions/token-minter';
import { BackgroundWriter } from './background-writer';
import { Baseline } from './baseline';
import {
  API,
  APPLICATION,
  BACKGROUND_WRITES_PER_SECOND,
  CONNECTIONS,
  CPU_PROF_DIR,
  ETCD,
  KEYS_PER_NAMESPACE,
  ONLY,
  PAGE_SIZE,
  PLAIN_NAMESPACES,
  RABBITMQ_URL,
  RUNS,
  SECONDS,
  SECRET_NAMESPACES,
  SERVER,
  WARMUP_SECONDS,
  WORKERS,
} from './bench-config';
import { Etcd, etcdVersion } from './etcd';
import {
  ALL_KEYS,
  BenchNamespace,
  LIST_PREFIXES,
  pick,
  prefixEnd,
  randomKey,
  randomKeys,
  randomValue,
} from './key-space';
import { Figures, measure } from './measure';
import { report } from './report';
import { ScenarioId, etcdKeyOf, scenarios } from './scenarios';
import {
  Child,
  logTail,
  scrape,
  sleep,
  startService,
  stopChild,
  waitFor200,
  waitForWorkers,
} from './service-process';

const log = (line: string) => console.log(`[bench] ${line}`);

type Caller = <T>(method: string, route: string, body?: unknown) => Promise<T>;

function apiCaller(port: number, token: string): Caller {
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${port}${API}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 500)}`);
    }
    return JSON.parse(text) as T;
  };
}

/** A namespace with every key of ALL_KEYS, through one bulk set. */
async function seedNamespace(call: Caller, name: string, secret: boolean): Promise<BenchNamespace> {
  const { id } = await call<{ id: string }>('POST', '/namespaces', {
    name,
    applicationId: APPLICATION,
    isSecretNamespace: secret,
  });
  const entries = ALL_KEYS.map((key) => ({ key, value: randomValue(), valueType: 'STRING' }));
  await call('POST', `/${id}/bulk/set`, { entries });
  return { id, secret };
}

/** `count` namespaces, four bulk sets at a time. */
async function seedMany(call: Caller, prefix: string, count: number, secret: boolean) {
  const namespaces: BenchNamespace[] = new Array<BenchNamespace>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      namespaces[n] = await seedNamespace(call, `${prefix}-${String(n).padStart(3, '0')}`, secret);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return namespaces;
}

/**
 * The seeding's change events, published: otherwise the relay would be publishing that
 * backlog during the first scenarios, on their CPU.
 */
async function outboxDrained(port: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const text = await scrape(port);
    const pending = Number(/^kv_outbox_pending_events(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1]);
    if (pending === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${pending} change events still unpublished 10 minutes after seeding`);
    }
    await sleep(1000);
  }
}

/**
 * Vacuums and analyzes the freshly seeded database and writes a checkpoint, so that the first
 * scenario does not share the machine with autovacuum working through the seeding's rows.
 */
async function settle(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('VACUUM (ANALYZE)');
    await db.query('CHECKPOINT');
  } finally {
    await db.end();
  }
}

async function machine(admin: Client, etcd: string): Promise<string> {
  const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
  const cpus = os.cpus();
  const memory = (os.totalmem() / 2 ** 30).toFixed(1);
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${memory} GiB, ` +
    `PostgreSQL ${rows[0].server_version}, Node ${process.version}, ${etcd}, RabbitMQ connected; ` +
    `KV_WORKERS=${WORKERS}, ${CONNECTIONS} connections, ${BACKGROUND_WRITES_PER_SECOND} background PUTs/s; ` +
    `${WARMUP_SECONDS} s warm-up on other keys, ${RUNS} × ${SECONDS} s alternating with etcd`
  );
}

interface Setup {
  admin: Client;
  databaseUrl: string;
  exchange: string;
  stamp: number;
  service?: Child;
  etcd?: Etcd;
  background?: BackgroundWriter;
  baseline?: Baseline;
}

async function benchmark(setup: Setup): Promise<void> {
  const secret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: setup.databaseUrl,
    RABBITMQ_URL,
    KV_EVENTS_EXCHANGE: setup.exchange,
    KV_MASTER_KEY: randomBytes(32).toString('base64'),
    AUTH_JWT_SECRET: secret,
    KV_WORKERS: String(WORKERS),
    LOG_LEVEL: 'warn',
  };
  const service = await startService(env, `/tmp/kv-bench-${setup.stamp}-service.log`, CPU_PROF_DIR);
  setup.service = service;
  await waitFor200(service, `http://127.0.0.1:${service.port}/health/ready`);
  await waitForWorkers(service, WORKERS);
  log(`service ready on port ${service.port} (KV_WORKERS=${WORKERS})`);

  const found = etcdVersion();
  let etcdLine = found.version ? `etcd ${found.version}` : 'etcd skipped';
  if (!ETCD) {
    log('etcd skipped: BENCH_ETCD=off');
  } else if (found.missing) {
    log(`etcd skipped: ${found.missing}`);
  } else {
    setup.etcd = await Etcd.start(`/tmp/kv-bench-${setup.stamp}-etcd.log`);
    log(`etcd ${found.version} ready on port ${setup.etcd.process.port}`);
  }
  if (!setup.etcd) {
    etcdLine = 'no etcd';
  }

  const token = await mintToken(secret, {
    sub: 'bench',
    permissions: [...ALL_PERMISSIONS],
    applications: ['*'],
    ttlSeconds: 24 * 3600,
  });
  const call = apiCaller(service.port, token);
  const seedStart = performance.now();
  const plain = await seedMany(call, 'plain', PLAIN_NAMESPACES, false);
  const secretNamespaces = await seedMany(call, 'secret', SECRET_NAMESPACES, true);
  const hot = await seedNamespace(call, 'hot', false);
  const trickle = await seedNamespace(call, 'background', false);
  const entries = (PLAIN_NAMESPACES + SECRET_NAMESPACES + 2) * KEYS_PER_NAMESPACE;
  const seedSeconds = (performance.now() - seedStart) / 1000;
  log(`seeded ${entries} entries through bulk set in ${seedSeconds.toFixed(1)} s`);
  if (setup.etcd) {
    await setup.etcd.seed(
      plain.flatMap((_, n) => ALL_KEYS.map((key) => etcdKeyOf(n, key))),
      randomValue,
    );
    log(`seeded etcd with the ${plain.length * KEYS_PER_NAMESPACE} plain keys`);
  }
  await outboxDrained(service.port);
  log(
    `the seeding's change events published (${((performance.now() - seedStart) / 1000).toFixed(1)} s after seeding began)`,
  );
  await settle(setup.databaseUrl);

  setup.background = new BackgroundWriter(service.port, token, trickle.id);
  setup.baseline = new Baseline(setup.databaseUrl, {
    application: APPLICATION,
    randomKey,
    randomKeys,
    randomValue,
    randomRange: () => {
      const prefix = pick(LIST_PREFIXES);
      return [prefix, prefixEnd(prefix)];
    },
    pageSize: PAGE_SIZE,
  });
  const list = scenarios({ plain, secret: secretNamespaces, hot, baseline: setup.baseline }).filter(
    (scenario) => ONLY === undefined || ONLY.includes(scenario.id),
  );
  const targets = {
    service: {
      name: 'service',
      url: `http://127.0.0.1:${service.port}`,
      port: service.port,
      pid: service.pid,
      headers: { authorization: `Bearer ${token}` },
    },
    etcd: setup.etcd && {
      name: 'etcd',
      url: setup.etcd.url,
      port: setup.etcd.process.port,
      pid: setup.etcd.process.pid,
      headers: { 'content-type': 'application/json' },
    },
    background: setup.background,
  };
  const all = new Map<ScenarioId, Figures>();
  for (const scenario of list) {
    all.set(scenario.id, await measure(scenario, targets));
  }

  const { table, failed } = report(list, all);
  console.log(`\n### npm run bench\n`);
  console.log(
    `${await machine(setup.admin, etcdLine)}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  );
  console.log(
    `Seeding ${entries} entries (${entries / KEYS_PER_NAMESPACE} bulk sets of ${KEYS_PER_NAMESPACE}, four at a time): ${seedSeconds.toFixed(1)} s.\n`,
  );
  console.log(table);
  console.log(
    failed.length === 0
      ? '\nissue 19 targets: all met'
      : `\nissue 19 targets: ${failed.length} not met — ${failed.join('; ')}`,
  );
}

/** The private exchange the service declared, gone with the run. */
async function deleteExchange(exchange: string): Promise<void> {
  try {
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
    await connection.close();
  } catch (error) {
    log(`could not delete the exchange ${exchange}: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const stamp = Date.now();
  const name = `kv_bench_${stamp}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const setup: Setup = { admin, databaseUrl: url.toString(), exchange: `kv.bench.${stamp}`, stamp };

  let teardown: Promise<void> | undefined;
  const cleanUp = () =>
    (teardown ??= (async () => {
      setup.background?.destroy();
      await setup.baseline?.end();
      await Promise.all([setup.service && stopChild(setup.service), setup.etcd?.stop()]);
      await deleteExchange(setup.exchange);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    })());
  // Ctrl-C or a kill still stops the children and drops the database.
  const interrupted = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    await benchmark(setup);
    for (const child of [setup.service, setup.etcd?.process]) {
      if (child) {
        rmSync(child.log, { force: true });
      }
    }
  } catch (error) {
    for (const child of [setup.service, setup.etcd?.process]) {
      if (child) {
        console.error(
          `\n--- last lines of ${child.log} (pid ${child.pid}) ---\n${logTail(child.log)}`,
        );
      }
    }
    throw error;
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(
    `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = 1;
});
