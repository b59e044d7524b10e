import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Server, Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from '../utils/expect-eventually';
import { childPids, isRunning } from '../utils/process-tree';
import { ServiceProcess, runServiceToExit, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';
/** How long another worker may serve a value after its change committed: the replicas' bound (README). */
const REPLICA_BOUND_MS = 1000;
/** What `docker stop` waits before it kills: stopping every worker must fit in it. */
const STOP_WINDOW_MS = 10000;

interface Answer {
  status: number;
  text: string;
}

interface Options {
  method?: string;
  token?: string;
  body?: unknown;
  /** A keep-alive agent of one socket: every request on the same connection, so the same worker. */
  agent?: Agent;
}

/**
 * One request; without an agent, on a connection of its own, which node:cluster hands to the
 * next worker in turn.
 */
function send(url: string, path: string, options: Options = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The worker that answered one scrape of /metrics, by its label. */
async function scrapedWorker(url: string): Promise<string> {
  const { status, text } = await send(url, '/metrics');
  expect(status).toBe(200);
  const worker = /^process_start_time_seconds\{worker="(\d+)"\}/m.exec(text)?.[1];
  expect(worker).toBeDefined();
  return worker!;
}

/** The pids the primary reported starting, from its log lines. */
function startedPids(output: string): number[] {
  return [...output.matchAll(/"Worker \d+ started \(pid (\d+)\)"/g)].map((m) => Number(m[1]));
}

/** One line, for the refusals: exit code 1 and the line naming the variable. */
function refusal(output: string): string {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

/**
 * The service answers once one worker listens, and node:cluster hands connections only to the
 * workers listening: the tests of two workers start once both are.
 */
async function bothListening(service: ServiceProcess): Promise<void> {
  await expectEventually(() =>
    expect(service.output().match(/KV Service listening on/g)).toHaveLength(2),
  );
}

describe('KV_WORKERS=2 on PostgreSQL', () => {
  const db = new TestDatabase('workers');
  let service: ServiceProcess;
  let token: string;
  let primary: number;

  beforeAll(async () => {
    await db.create();
    const env = { ...serviceEnv(db.url), KV_WORKERS: '2', LOG_LEVEL: 'info' };
    service = await startService(env);
    primary = service.child.pid!;
    await bothListening(service);
    token = await new Tokens(env.AUTH_JWT_SECRET).mint();
  });

  afterAll(async () => {
    await service?.stop();
    await db.drop();
  });

  it('runs two workers under one primary, new connections going to each in turn', async () => {
    const children = childPids(primary);
    expect(children).toHaveLength(2);
    expect(startedPids(service.output())).toEqual(children);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      seen.add(await scrapedWorker(service.url));
    }
    expect([...seen].sort()).toEqual(['1', '2']);
    expect((await send(service.url, '/health/ready')).status).toBe(200);
    // 2 x (10 + 3) connections: well within the server's max_connections.
    expect(service.output()).not.toContain('ConnectionBudgetCheck');
  });

  it.each([false, true])(
    'reads a write at once on its connection, and through every worker within the bound (secret: %s)',
    async (isSecretNamespace) => {
      const kept = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const created = await send(service.url, `${API}/namespaces`, {
          method: 'POST',
          token,
          body: { name: `ns-${Date.now()}`, applicationId: 'app-workers', isSecretNamespace },
        });
        expect(created.status).toBe(201);
        const path = `${API}/${(JSON.parse(created.text) as { id: string }).id}/entries/ryw`;
        const valueOf = (answer: Answer) => {
          expect(answer.status).toBe(200);
          return (JSON.parse(answer.text) as { value: unknown }).value;
        };
        for (let i = 1; i <= 4; i++) {
          // Both workers hold the entry as it was, when there is one.
          for (let read = 0; read < 4; read++) {
            await send(service.url, path, { token });
          }
          const written = await send(service.url, path, {
            method: 'PUT',
            token,
            agent: kept,
            body: { value: i, valueType: 'NUMBER' },
          });
          expect([200, 201]).toContain(written.status);
          expect(valueOf(await send(service.url, path, { token, agent: kept }))).toBe(i);
          await expectEventually(async () => {
            for (let read = 0; read < 4; read++) {
              expect(valueOf(await send(service.url, path, { token }))).toBe(i);
            }
          }, REPLICA_BOUND_MS);
        }
      } finally {
        kept.destroy();
      }
    },
  );

  it('starts a new worker in the place of one killed, answering meanwhile', async () => {
    const [victim, survivor] = childPids(primary);
    process.kill(victim, 'SIGKILL');
    await expectEventually(() =>
      expect(service.output()).toContain(`(pid ${victim}) exited with signal SIGKILL unexpectedly`),
    );
    for (let i = 0; i < 10; i++) {
      expect((await send(service.url, '/health/ready')).status).toBe(200);
    }
    await expectEventually(() => {
      const children = childPids(primary);
      expect(children).toHaveLength(2);
      expect(children).toContain(survivor);
      expect(children).not.toContain(victim);
    });
    // The new worker (id 3) takes its turn at the connections once it listens.
    await expectEventually(async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) {
        seen.add(await scrapedWorker(service.url));
      }
      expect(seen).toContain('3');
    }, 60000);
  });
});

describe('KV_WORKERS=2 stopping', () => {
  const db = new TestDatabase('workers_stop');
  let service: ServiceProcess;
  let stalled: Socket | undefined;
  let poolSize: number;

  beforeAll(async () => {
    await db.create();
    const [{ max_connections }] = await db.query<{ max_connections: string }>(
      'SHOW max_connections',
    );
    // Two workers of this pool could open more than the server gives out.
    poolSize = Math.ceil(Number(max_connections) / 2);
    service = await startService({
      ...serviceEnv(db.url),
      KV_WORKERS: '2',
      KV_DB_POOL_SIZE: String(poolSize),
      LOG_LEVEL: 'info',
    });
    await bothListening(service);
  });

  afterAll(async () => {
    stalled?.destroy();
    await service?.stop('SIGKILL');
    await db.drop();
  });

  it("warns once at start when the workers' connections could exceed max_connections", async () => {
    const warnings = () =>
      service
        .output()
        .split('\n')
        .filter((line) => line.includes('"context":"ConnectionBudgetCheck"'));
    // The first worker checks after it is ready, with a query of its own: the line may follow.
    await expectEventually(() => expect(warnings().length).toBeGreaterThan(0), 10_000);
    // Had the other worker warned as well, its line would be out by now too.
    await new Promise<void>((resolve) => setTimeout(resolve, 500));
    expect(warnings()).toHaveLength(1);
    const [warning] = warnings();
    expect(warning).toContain(
      `KV_WORKERS=2 workers of ${poolSize + 3} connections each (KV_DB_POOL_SIZE=${poolSize} + 3`,
    );
    expect(warning).toContain('"level":40');
  });

  it('passes SIGTERM to every worker and ends with it once they have, a stalled client notwithstanding', async () => {
    const primary = service.child.pid!;
    const children = childPids(primary);
    expect(children).toHaveLength(2);
    // A request begun and never finished, which a worker must not wait out (see shutdown spec).
    const { port } = new URL(service.url);
    stalled = connect(Number(port), '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise((resolve) => stalled!.once('connect', resolve));
    const answered = new Promise<string>((resolve) =>
      stalled!.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))),
    );
    stalled.write(
      'GET /health/live HTTP/1.1\r\nHost: kv\r\n\r\n' + 'GET /health/live HTTP/1.1\r\nHost: kv\r\n',
    );
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);

    const started = Date.now();
    const ended = await service.stop('SIGTERM');

    expect(ended).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(STOP_WINDOW_MS);
    expect(children.filter(isRunning)).toEqual([]);
    for (const pid of children) {
      expect(service.output()).toMatch(new RegExp(`\\(pid ${pid}\\) exited with signal SIGTERM"`));
    }
    expect(service.output()).not.toMatch(/"level":50/);
  });
});

describe('KV_WORKERS refusals', () => {
  it.each([
    ['KV_WORKERS', { KV_WORKERS: '0' }],
    ['KV_WORKERS', { KV_WORKERS: 'abc' }],
    ['KV_WORKERS', { KV_WORKERS: '1.5' }],
    ['KV_DB_POOL_SIZE', { KV_DB_POOL_SIZE: '1' }],
  ])('stops with exit code 1 and one line naming %s', async (variable, env) => {
    const { code, output } = await runServiceToExit({
      ...serviceEnv('postgres://postgres@127.0.0.1:5432/unused'),
      ...env,
    });
    expect(code).toBe(1);
    expect(refusal(output)).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('refuses several workers on the embedded database, naming KV_WORKERS and DATABASE_URL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kv-workers-'));
    const { code, output } = await runServiceToExit({ KV_WORKERS: '2', KV_DATA_DIR: dataDir });
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    const line = refusal(output);
    expect(line).toMatch(/^Invalid configuration: KV_WORKERS /);
    expect(line).toContain('DATABASE_URL');
  });

  describe('when the workers crash-loop', () => {
    const db = new TestDatabase('workers_loop');
    let taken: Server;

    beforeAll(async () => {
      await db.create();
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => taken.close(resolve));
      await db.drop();
    });

    it('gives up with exit code 1, leaving no worker behind', async () => {
      // Every worker fails at its listen: the port is someone else's.
      const port = (taken.address() as { port: number }).port;
      const { code, output } = await runServiceToExit({
        ...serviceEnv(db.url),
        KV_WORKERS: '2',
        PORT: String(port),
        LOG_LEVEL: 'info',
      });
      expect(code).toBe(1);
      expect(output).toMatch(/exited with code 1 unexpectedly; a new worker starts in 250 ms/);
      expect(output).toMatch(
        /the 5th time in a row within 30 s of its start: the workers crash-loop/,
      );
      const pids = startedPids(output);
      expect(pids.length).toBeGreaterThanOrEqual(5);
      expect(pids.filter(isRunning)).toEqual([]);
    });
  });
});
