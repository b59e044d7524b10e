import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A child process of the benchmark (the service, etcd), its output in a file. */
export interface Child {
  child: ChildProcess;
  pid: number;
  port: number;
  log: string;
}

/** A port nobody listens on now; the child binds it a moment later. */
export async function freePort(): Promise<number> {
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

/** The child writes to the file directly: no pipe for this process to drain under load. */
export function spawnLogged(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  log: string,
): Child {
  const fd = openSync(log, 'w');
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}`);
  }
  return { child, pid: child.pid, port, log };
}

/**
 * As `npm run start:prod` starts it, flags included; KV_WORKERS from the environment given.
 * With a profile directory, V8's CPU profile of each process is written there on exit.
 */
export async function startService(
  env: NodeJS.ProcessEnv,
  log: string,
  profileDir?: string,
): Promise<Child> {
  const port = await freePort();
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  return spawnLogged(
    process.execPath,
    [...profile, '--max-semi-space-size=64', 'dist/main.js'],
    { ...env, PORT: String(port) },
    port,
    log,
  );
}

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Polls `url` until it answers 200. */
export async function waitFor200(
  child: Child,
  url: string,
  init: RequestInit = {},
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child.child)) {
      throw new Error(`${child.log}: the process exited during start-up`);
    }
    try {
      const res = await fetch(url, init);
      await res.arrayBuffer();
      if (res.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/**
 * The text of `/metrics` of one process, on a connection of its own: under KV_WORKERS each new
 * connection goes to the next worker, so successive scrapes see every worker in turn.
 */
export function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Under KV_WORKERS the service answers once one worker listens: the runs start once every
 * worker has answered a scrape (each new connection goes to the next worker listening).
 */
export async function waitForWorkers(service: Child, workers: number): Promise<void> {
  if (workers === 1) {
    return;
  }
  const seen = new Set<string>();
  const deadline = Date.now() + 60_000;
  while (seen.size < workers) {
    if (Date.now() > deadline) {
      throw new Error(`only ${seen.size} of ${workers} workers answered within 60 s`);
    }
    const text = await scrape(service.port);
    const worker = /^process_start_time_seconds\{worker="(\d+)"\}/m.exec(text)?.[1];
    if (worker !== undefined) {
      seen.add(worker);
    }
    await sleep(50);
  }
}

/** SIGTERM lets it close cleanly; SIGKILL after 10 s so a hang cannot block us. */
export async function stopChild({ child }: Child): Promise<void> {
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

export function logTail(log: string, lines = 40): string {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// CPU: user + system time of a process and its descendants (the workers), from /proc.

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

const CLK_TCK = clockTicksPerSecond();

function ownTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its ')' start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** CPU seconds used so far by the process and its living descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    try {
      ticks += ownTicks(next);
      pending.push(...childrenOf(next));
    } catch {
      // Ended meanwhile.
    }
  }
  return ticks / CLK_TCK;
}
