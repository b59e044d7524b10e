import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Child, freePort, spawnLogged, stopChild, waitFor200 } from './service-process';

/** Debian's etcd-server (3.4); its JSON gateway is what the service is set beside. */
const ETCD_BINARY = '/usr/bin/etcd';
/** etcd's default limit of operations per transaction (--max-txn-ops). */
const TXN_OPS = 128;

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The version line, or why etcd cannot be had. */
export function etcdVersion(): { version?: string; missing?: string } {
  try {
    const out = execFileSync(ETCD_BINARY, ['--version'], { encoding: 'utf8' });
    return { version: /etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown' };
  } catch {
    return { missing: `${ETCD_BINARY} not found (apt-get install etcd-server)` };
  }
}

/**
 * One etcd member on private ports and a private data directory, fsync as shipped (its WAL
 * syncs each commit, as PostgreSQL does), removed on stop.
 */
export class Etcd {
  private constructor(
    readonly process: Child,
    private readonly dataDir: string,
  ) {}

  static async start(log: string): Promise<Etcd> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kv-bench-etcd-'));
    const [client, peer] = [await freePort(), await freePort()];
    const clientUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const etcd = new Etcd(
      spawnLogged(
        ETCD_BINARY,
        [
          '--name=bench',
          `--data-dir=${dataDir}`,
          `--listen-client-urls=${clientUrl}`,
          `--advertise-client-urls=${clientUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=bench=${peerUrl}`,
          '--logger=zap',
          '--log-level=warn',
        ],
        { PATH: process.env.PATH },
        client,
        log,
      ),
      dataDir,
    );
    await waitFor200(etcd.process, `${clientUrl}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: b64('probe') }),
    });
    return etcd;
  }

  get url(): string {
    return `http://127.0.0.1:${this.process.port}`;
  }

  /** Puts every key, TXN_OPS per transaction, a few transactions at a time. */
  async seed(keys: string[], value: () => string): Promise<void> {
    const batches: string[][] = [];
    for (let i = 0; i < keys.length; i += TXN_OPS) {
      batches.push(keys.slice(i, i + TXN_OPS));
    }
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const res = await fetch(`${this.url}/v3/kv/txn`, {
          method: 'POST',
          body: JSON.stringify({
            success: batch.map((key) => ({ request_put: { key: b64(key), value: b64(value()) } })),
          }),
        });
        const text = await res.text();
        if (!res.ok || !text.includes('"succeeded":true')) {
          throw new Error(`etcd seed: ${res.status} ${text.slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  async stop(): Promise<void> {
    await stopChild(this.process);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The bodies of etcd's range (a linearizable GET of one key, as `etcdctl get`) and put. */
export const etcdRange = (key: string) => JSON.stringify({ key: b64(key) });
export const etcdPut = (key: string, value: string) =>
  JSON.stringify({ key: b64(key), value: b64(value) });
