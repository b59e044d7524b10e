/**
 * npm run bench — the benchmark of issue 9. Starts the production build (`node dist/main.js`,
 * BENCH_PROCESSES processes) on a fresh database of the real PostgreSQL (TEST_DATABASE_URL),
 * seeds 100 000 entries over 100 namespaces, drives each scenario with autocannon, and runs the
 * same scenarios straight through `pg` as the database ceiling. Prints one markdown table with
 * the targets. BENCH_SECONDS (10) and BENCH_RUNS (3) shorten a trial run.
 *
 * Exits 0 whatever the targets say (the table says it); exits 1 when the benchmark itself
 * fails, a non-2xx response included, after printing the tail of each service's log.
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { ALL_PERMISSIONS } from '../src/permissions/kv-permission.enum';
import { mintToken } from '../src/permissions/token-minter';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = positiveInt('BENCH_SECONDS', 10);
const RUNS = positiveInt('BENCH_RUNS', 3);
const PROCESSES = positiveInt('BENCH_PROCESSES', 1);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 50;
const NAMESPACES = 100;
const KEYS_PER_NAMESPACE = 1000;
const BULK_GET_KEYS = 100;
const PAGE_SIZE = 50;
const APPLICATION = 'bench';
const API = '/api/v1/kv';
const ROOT = path.resolve(__dirname, '..');

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (!/^[1-9]\d*$/.test(raw)) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Data: the key scheme and random choices shared by the service runs and the baseline.

interface Namespace {
  id: string;
  secret: boolean;
}

/** `app/config/k-00042`: zero-padded, so a prefix like `app/config/k-004` selects 100 keys. */
const keyOf = (i: number) => `app/config/k-${String(i).padStart(5, '0')}`;

/** Ten prefixes of 100 keys each; a page of 50 is asked, so the service reads 51 rows. */
const LIST_PREFIXES = Array.from({ length: 10 }, (_, d) => `app/config/k-00${d}`);

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const randomKey = () => keyOf(Math.floor(Math.random() * KEYS_PER_NAMESPACE));
/** 40 characters, different on every write so each PUT really changes its entry. */
const randomValue = () => `value-${randomBytes(17).toString('hex')}`;

function randomKeys(count: number): string[] {
  const keys = new Set<string>();
  while (keys.size < count) {
    keys.add(randomKey());
  }
  return [...keys];
}

/** The exclusive upper bound of a prefix range (our prefixes end in an ASCII digit). */
const prefixEnd = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

// ---------------------------------------------------------------------------------------------
// The service: child processes of the production build.

interface Service {
  child: ChildProcess;
  pid: number;
  port: number;
  log: string;
}

/** A port nobody listens on now; the child binds it a moment later. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') {
    throw new Error('no TCP port available');
  }
  return address.port;
}

async function startService(env: NodeJS.ProcessEnv, log: string): Promise<Service> {
  const port = await freePort();
  // The child writes to the file directly: no pipe for this process to drain under load.
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) {
    throw new Error('could not start node dist/main.js');
  }
  return { child, pid: child.pid, port, log };
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

async function waitReady(service: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(service.child)) {
      throw new Error(`service on port ${service.port} exited during start-up`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      await res.arrayBuffer();
      if (res.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`service on port ${service.port} not ready after ${timeoutMs / 1000} s`);
}

/** SIGTERM lets it close its pool cleanly; SIGKILL after 10 s so a hang cannot block us. */
async function stopService({ child }: Service): Promise<void> {
  if (exited(child)) {
    return;
  }
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  if (await Promise.race([gone.then(() => true), sleep(10_000).then(() => false)])) {
    return;
  }
  child.kill('SIGKILL');
  await gone;
}

function logTail(log: string, lines = 40): string {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// Server CPU: user + system time of the children, from /proc, in clock ticks.

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

const CLK_TCK = clockTicksPerSecond();

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its ')' start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

const totalCpuTicks = (services: Service[]) =>
  services.reduce((sum, service) => sum + cpuTicks(service.pid), 0);

// ---------------------------------------------------------------------------------------------
// Seeding, through the API like any client.

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

/** Half the namespaces plain, half secret; 1000 entries each, one bulk set per namespace. */
async function seed(call: Caller): Promise<Namespace[]> {
  const namespaces: Namespace[] = [];
  for (let n = 0; n < NAMESPACES; n += 1) {
    const secret = n % 2 === 1;
    const { id } = await call<{ id: string }>('POST', '/namespaces', {
      name: `bench-${String(n).padStart(3, '0')}`,
      applicationId: APPLICATION,
      isSecretNamespace: secret,
    });
    const entries = Array.from({ length: KEYS_PER_NAMESPACE }, (_, i) => ({
      key: keyOf(i),
      value: randomValue(),
      valueType: 'STRING',
    }));
    await call('POST', `/${id}/bulk/set`, { entries });
    namespaces.push({ id, secret });
  }
  return namespaces;
}

// ---------------------------------------------------------------------------------------------
// The raw-database baseline: the statements the service cannot do without, as named prepared
// statements (parsed and planned once per connection), columns as in the migrations.

const ALIVE = '(expires_at IS NULL OR expires_at > now())';
const ENTRY_COLUMNS =
  'id, namespace_id, key_path, value_type, value, value_ciphertext, version, expires_at, metadata, created_at, updated_at';

const SQL = {
  namespace: `SELECT id, application_id, name, description, is_secret_namespace, default_ttl_seconds,
      created_at, updated_at FROM namespaces WHERE id = $1`,
  entry: `SELECT ${ENTRY_COLUMNS} FROM entries WHERE namespace_id = $1 AND key_path = $2 AND ${ALIVE}`,
  lock: `SELECT id, version, value_type FROM entries
      WHERE namespace_id = $1 AND key_path = $2 AND ${ALIVE} FOR UPDATE`,
  update: `UPDATE entries SET value_type = $1, value = $2, value_ciphertext = $3, version = version + 1,
      updated_at = now() WHERE id = $4 RETURNING ${ENTRY_COLUMNS}`,
  entryVersion: `INSERT INTO entry_versions (entry_id, version, value_type, value_ciphertext, change_reason, changed_by)
      VALUES ($1, $2, $3, $4, 'update', $5)`,
  outbox: `INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload) VALUES ($1, $2, $3, $4)`,
  list: `SELECT ${ENTRY_COLUMNS} FROM entries WHERE namespace_id = $1 AND ${ALIVE}
      AND key_path >= $2 AND key_path < $3 ORDER BY key_path LIMIT ${PAGE_SIZE + 1}`,
  bulkGet: `SELECT ${ENTRY_COLUMNS} FROM entries
      WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND ${ALIVE}`,
  // Columns of one or many audit rows, unnested server-side as the service does.
  audit: `INSERT INTO audit_log (id, application_id, namespace_id, entry_id, key_path, action, user_id,
      success, status_code, request_id, timestamp)
    SELECT id, $2::varchar, $3::uuid, entry_id, key_path, $4::varchar, $5::varchar, true, 200,
      $6::varchar, now()
    FROM unnest($1::uuid[], $7::uuid[], $8::text[]) AS r(id, entry_id, key_path)`,
} as const;

function run<R extends QueryResultRow>(
  db: PoolClient,
  name: keyof typeof SQL,
  values: unknown[],
): Promise<QueryResult<R>> {
  return db.query<R>({ name, text: SQL[name], values });
}

interface EntryRow {
  id: string;
  key_path: string;
  version: number;
}

/** The namespace lookup every request makes for its tenancy check. */
const lookUp = (db: PoolClient, ns: Namespace) => run(db, 'namespace', [ns.id]);

/** One audit row per entry read or written (null entry: a list, which audits its namespace). */
async function audit(
  db: PoolClient,
  ns: Namespace,
  action: string,
  rows: { id: string | null; key_path: string | null }[],
): Promise<void> {
  await run(db, 'audit', [
    rows.map(() => randomUUID()),
    APPLICATION,
    ns.id,
    action,
    'bench',
    randomUUID(),
    rows.map((row) => row.id),
    rows.map((row) => row.key_path),
  ]);
}

async function baselineGet(db: PoolClient, ns: Namespace): Promise<void> {
  await lookUp(db, ns);
  const key = randomKey();
  const { rows } = await run<EntryRow>(db, 'entry', [ns.id, key]);
  await audit(db, ns, 'READ', [{ id: rows[0]?.id ?? null, key_path: key }]);
}

/** Lock, version-bumping update (plus the version row of a secret), audit row, outbox event. */
async function baselinePut(db: PoolClient, ns: Namespace): Promise<void> {
  await lookUp(db, ns);
  const key = randomKey();
  const value = JSON.stringify(randomValue());
  // A secret is stored sealed: ciphertext of the same size plus IV and tag, no plaintext.
  const sealed = ns.secret ? randomBytes(Buffer.byteLength(value) + 28) : null;
  await db.query('BEGIN');
  try {
    const locked = await run<EntryRow>(db, 'lock', [ns.id, key]);
    const [row] = (
      await run<EntryRow>(db, 'update', [
        'STRING',
        sealed ? null : value,
        sealed,
        locked.rows[0].id,
      ])
    ).rows;
    if (sealed) {
      await run(db, 'entryVersion', [row.id, row.version, 'STRING', sealed, 'bench']);
    }
    await audit(db, ns, 'WRITE', [row]);
    const event = {
      eventId: randomUUID(),
      type: 'kv.entry.updated',
      occurredAt: new Date().toISOString(),
      applicationId: APPLICATION,
      namespaceId: ns.id,
      entryId: row.id,
      keyPath: key,
      version: row.version,
      actor: 'bench',
    };
    await run(db, 'outbox', [event.eventId, event.type, `${ns.id}/${key}`, JSON.stringify(event)]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

async function baselineList(db: PoolClient, ns: Namespace): Promise<void> {
  await lookUp(db, ns);
  const prefix = pick(LIST_PREFIXES);
  await run(db, 'list', [ns.id, prefix, prefixEnd(prefix)]);
  await audit(db, ns, 'LIST', [{ id: null, key_path: null }]);
}

async function baselineBulkGet(db: PoolClient, ns: Namespace): Promise<void> {
  await lookUp(db, ns);
  const keys = randomKeys(BULK_GET_KEYS);
  const { rows } = await run<EntryRow>(db, 'bulkGet', [ns.id, keys]);
  const ids = new Map(rows.map((row) => [row.key_path, row.id]));
  await audit(
    db,
    ns,
    'READ',
    keys.map((key) => ({ id: ids.get(key) ?? null, key_path: key })),
  );
}

/** CONNECTIONS workers, each on its own connection, repeating `op` until time is up. */
async function drive(
  pool: Pool,
  op: (db: PoolClient) => Promise<void>,
  seconds: number,
): Promise<number> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let done = 0;
  let failed = false;
  const worker = async () => {
    const db = await pool.connect();
    try {
      while (!failed && performance.now() < deadline) {
        await op(db);
        done += 1;
      }
    } catch (error) {
      failed = true; // stop the other workers instead of letting them run to the deadline
      throw error;
    } finally {
      db.release();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return done / ((performance.now() - start) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
}

interface Scenario {
  id: 'get-plain' | 'get-secret' | 'put-plain' | 'put-secret' | 'list' | 'bulk-get';
  name: string;
  /** A fresh request to the service, chosen at random for each request sent. */
  request: () => HttpRequest;
  /** The same work straight through pg. */
  baseline: (db: PoolClient) => Promise<void>;
}

const entryPath = (ns: Namespace, key: string) =>
  `${API}/${ns.id}/entries/${encodeURIComponent(key)}`;

function scenarios(namespaces: Namespace[]): Scenario[] {
  const plain = namespaces.filter((ns) => !ns.secret);
  const secret = namespaces.filter((ns) => ns.secret);
  const get = (from: Namespace[]) => (): HttpRequest => ({
    method: 'GET',
    path: entryPath(pick(from), randomKey()),
  });
  const put = (from: Namespace[]) => (): HttpRequest => ({
    method: 'PUT',
    path: entryPath(pick(from), randomKey()),
    body: JSON.stringify({ value: randomValue(), valueType: 'STRING' }),
  });
  return [
    {
      id: 'get-plain',
      name: 'GET plain',
      request: get(plain),
      baseline: (db) => baselineGet(db, pick(plain)),
    },
    {
      id: 'get-secret',
      name: 'GET secret',
      request: get(secret),
      baseline: (db) => baselineGet(db, pick(secret)),
    },
    {
      id: 'put-plain',
      name: 'PUT plain',
      request: put(plain),
      baseline: (db) => baselinePut(db, pick(plain)),
    },
    {
      id: 'put-secret',
      name: 'PUT secret',
      request: put(secret),
      baseline: (db) => baselinePut(db, pick(secret)),
    },
    {
      id: 'list',
      name: `list by prefix, ${PAGE_SIZE} with values (plain)`,
      request: () => ({
        method: 'GET',
        path: `${API}/${pick(plain).id}/entries?prefix=${encodeURIComponent(pick(LIST_PREFIXES))}&includeValues=true&limit=${PAGE_SIZE}`,
      }),
      baseline: (db) => baselineList(db, pick(plain)),
    },
    {
      id: 'bulk-get',
      name: `bulk get of ${BULK_GET_KEYS} keys (plain)`,
      request: () => ({
        method: 'POST',
        path: `${API}/${pick(plain).id}/bulk/get`,
        body: JSON.stringify({ keys: randomKeys(BULK_GET_KEYS) }),
      }),
      baseline: (db) => baselineBulkGet(db, pick(plain)),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Driving the service with autocannon: one instance per process, concurrently, summed.

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

/** 50 connections split as evenly as possible over the processes. */
const connectionsFor = (index: number, processes: number) =>
  Math.floor(CONNECTIONS / processes) + (index < CONNECTIONS % processes ? 1 : 0);

function autocannonRequest(scenario: Scenario): autocannon.Request {
  return {
    setupRequest: (defaults) => {
      const { method, path: route, body } = scenario.request();
      const headers =
        body === undefined
          ? defaults.headers
          : { ...defaults.headers, 'content-type': 'application/json' };
      return { ...defaults, method, path: route, body: body ?? '', headers };
    },
  };
}

/** Every response must be a 2xx: a benchmark of errors measures nothing. */
function assertAllSucceeded(scenario: Scenario, results: autocannon.Result[]): void {
  const problems = results.flatMap((r, i) => {
    const statuses = Object.entries(r.statusCodeStats)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, { count }]) => `${count} × HTTP ${status}`);
    return r.non2xx + r.errors + r.timeouts === 0
      ? []
      : [
          `process ${i + 1}: ${r.non2xx} non-2xx (${statuses.join(', ')}), ${r.errors} errors, ${r.timeouts} timeouts`,
        ];
  });
  if (problems.length > 0) {
    throw new Error(`${scenario.name}: failed requests\n  ${problems.join('\n  ')}`);
  }
}

async function cannon(
  scenario: Scenario,
  services: Service[],
  token: string,
  seconds: number,
): Promise<Measured> {
  const results = await Promise.all(
    services.map((service, i) =>
      autocannon({
        url: `http://127.0.0.1:${service.port}`,
        connections: connectionsFor(i, services.length),
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        requests: [autocannonRequest(scenario)],
      }),
    ),
  );
  assertAllSucceeded(scenario, results);
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    requests,
    rps: results.reduce((sum, r) => sum + r.requests.total / r.duration, 0),
    // Percentiles of separate instances cannot be merged exactly: p50 weighted, p99 the worst.
    p50: results.reduce((sum, r) => sum + r.latency.p50 * r.requests.total, 0) / requests,
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

interface Figures {
  rps: number[];
  p50: number[];
  p99: number[];
  cpuUs: number[];
  baselineRps: number[];
}

async function measure(
  scenario: Scenario,
  services: Service[],
  token: string,
  pool: Pool,
): Promise<Figures> {
  const figures: Figures = { rps: [], p50: [], p99: [], cpuUs: [], baselineRps: [] };
  await cannon(scenario, services, token, WARMUP_SECONDS);
  for (let i = 1; i <= RUNS; i += 1) {
    const before = totalCpuTicks(services);
    const run = await cannon(scenario, services, token, SECONDS);
    const cpuSeconds = (totalCpuTicks(services) - before) / CLK_TCK;
    figures.rps.push(run.rps);
    figures.p50.push(run.p50);
    figures.p99.push(run.p99);
    figures.cpuUs.push((cpuSeconds * 1e6) / run.requests);
    log(
      `${scenario.name}: service run ${i}/${RUNS}: ${Math.round(run.rps)} req/s, p99 ${run.p99} ms`,
    );
  }
  await drive(pool, scenario.baseline, WARMUP_SECONDS);
  for (let i = 1; i <= RUNS; i += 1) {
    const rps = await drive(pool, scenario.baseline, SECONDS);
    figures.baselineRps.push(rps);
    log(`${scenario.name}: baseline run ${i}/${RUNS}: ${Math.round(rps)} req/s`);
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// Report.

const log = (line: string) => console.log(`[bench] ${line}`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const int = (n: number) => String(Math.round(n));
const ms = (n: number) => (n < 10 ? n.toFixed(1) : int(n));

interface Check {
  label: string;
  pass: boolean;
}

/** Issue 9's targets, on the medians of the runs. */
function checks(id: Scenario['id'], all: Map<Scenario['id'], Figures>): Check[] {
  const figures = all.get(id)!;
  const rps = median(figures.rps);
  const p99 = median(figures.p99);
  const cpu = median(figures.cpuUs);
  switch (id) {
    case 'get-plain':
      return [
        { label: '≥ 10000 req/s', pass: rps >= 10_000 },
        { label: 'p99 ≤ 20 ms', pass: p99 <= 20 },
        { label: 'CPU ≤ 80 µs', pass: cpu <= 80 },
      ];
    case 'get-secret': {
      const share = rps / median(all.get('get-plain')!.rps);
      return [
        { label: `≥ 90 % of GET plain (${Math.round(share * 100)} %)`, pass: share >= 0.9 },
        { label: 'CPU ≤ 80 µs', pass: cpu <= 80 },
      ];
    }
    case 'put-plain':
      return [
        { label: '≥ 2500 req/s', pass: rps >= 2_500 },
        { label: 'p99 ≤ 40 ms', pass: p99 <= 40 },
      ];
    case 'list':
      return [{ label: '≥ 4000 req/s', pass: rps >= 4_000 }];
    case 'bulk-get':
      return [{ label: '≥ 1000 req/s', pass: rps >= 1_000 }];
    case 'put-secret':
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

function report(
  list: Scenario[],
  all: Map<Scenario['id'], Figures>,
): { table: string; failed: string[] } {
  const failed: string[] = [];
  const rows = list.map((scenario) => {
    const f = all.get(scenario.id)!;
    const rps = median(f.rps);
    const baseline = median(f.baselineRps);
    const targets = checks(scenario.id, all);
    failed.push(...targets.filter((t) => !t.pass).map((t) => `${scenario.name}: ${t.label}`));
    return [
      scenario.name,
      `${int(rps)} (${int(Math.min(...f.rps))}–${int(Math.max(...f.rps))})`,
      ms(median(f.p50)),
      ms(median(f.p99)),
      int(median(f.cpuUs)),
      int(baseline),
      (rps / baseline).toFixed(2),
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
    'server CPU µs/req',
    'DB baseline req/s',
    'service / baseline',
    'issue 9 target',
  ];
  return { table: markdownTable(header, rows), failed };
}

async function machine(admin: Client): Promise<string> {
  const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
  const cpus = os.cpus();
  const memory = (os.totalmem() / 2 ** 30).toFixed(1);
  const processes = PROCESSES === 1 ? '1 service process' : `${PROCESSES} service processes`;
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${memory} GiB, ` +
    `PostgreSQL ${rows[0].server_version}, Node ${process.version}; ${processes}, ` +
    `${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${RUNS} × ${SECONDS} s per scenario`
  );
}

// ---------------------------------------------------------------------------------------------
// Main: set up, measure, report; tear down whatever happens.

interface Setup {
  admin: Client;
  databaseUrl: string;
  services: Service[];
  pool?: Pool;
}

async function benchmark(setup: Setup, stamp: number): Promise<void> {
  const secret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: setup.databaseUrl,
    KV_MASTER_KEY: randomBytes(32).toString('base64'),
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
  };
  for (let i = 0; i < PROCESSES; i += 1) {
    setup.services.push(await startService(env, `/tmp/kv-bench-${stamp}-${i + 1}.log`));
  }
  await Promise.all(setup.services.map((service) => waitReady(service)));
  log(
    `${PROCESSES} service process(es) ready on port(s) ${setup.services.map((s) => s.port).join(', ')}`,
  );

  const token = await mintToken(secret, {
    sub: 'bench',
    permissions: [...ALL_PERMISSIONS],
    applications: ['*'],
    ttlSeconds: 24 * 3600,
  });
  const seedStart = performance.now();
  const namespaces = await seed(apiCaller(setup.services[0].port, token));
  const seedSeconds = (performance.now() - seedStart) / 1000;
  log(
    `seeded ${NAMESPACES * KEYS_PER_NAMESPACE} entries over ${NAMESPACES} namespaces in ${seedSeconds.toFixed(1)} s`,
  );

  setup.pool = new Pool({ connectionString: setup.databaseUrl, max: CONNECTIONS });
  const list = scenarios(namespaces);
  const all = new Map<Scenario['id'], Figures>();
  for (const scenario of list) {
    all.set(scenario.id, await measure(scenario, setup.services, token, setup.pool));
  }

  const { table, failed } = report(list, all);
  console.log(`\n### npm run bench\n`);
  console.log(
    `${await machine(setup.admin)}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  );
  console.log(`Seeding 100 000 entries (100 bulk sets of 1000): ${seedSeconds.toFixed(1)} s.\n`);
  console.log(table);
  console.log(
    failed.length === 0
      ? '\nissue 9 targets: all met'
      : `\nissue 9 targets: ${failed.length} not met — ${failed.join('; ')}`,
  );
}

async function main(): Promise<void> {
  const stamp = Date.now();
  const name = `kv_bench_${stamp}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const setup: Setup = { admin, databaseUrl: url.toString(), services: [] };

  let teardown: Promise<void> | undefined;
  const cleanUp = () =>
    (teardown ??= (async () => {
      await setup.pool?.end();
      await Promise.all(setup.services.map(stopService));
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    })());
  // Ctrl-C or a kill still stops the children and drops the database.
  const interrupted = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    await benchmark(setup, stamp);
    setup.services.forEach((service) => rmSync(service.log, { force: true }));
  } catch (error) {
    for (const service of setup.services) {
      console.error(
        `\n--- last lines of ${service.log} (pid ${service.pid}) ---\n${logTail(service.log)}`,
      );
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
