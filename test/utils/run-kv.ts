import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The built kv CLI, as `npx kv` and the image run it. */
export const KV_BIN = join(ROOT, 'dist', 'kv', 'src', 'cli', 'kv', 'main.js');

export interface KvResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the built kv CLI with nothing but PATH and the given variables in its environment. */
export function startKv(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [KV_BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** What a started kv wrote and how it ended. */
export function finished(child: ChildProcess): Promise<KvResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs kv to its end, with `input` on its standard input. */
export function runKv(args: string[], env: Record<string, string>, input = ''): Promise<KvResult> {
  const child = startKv(args, env);
  const result = finished(child);
  child.stdin!.end(input);
  return result;
}
