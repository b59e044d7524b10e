import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from '../utils/expect-eventually';
import { ServiceProcess, runServiceToExit, startService } from '../utils/service-process';

const RULE = /^═+$/;

/** An IPv4 address of this machine other than loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** The banner: the last lines of stdout, from the opening rule to the closing one. */
function banner(stdout: string): { before: string[]; block: string[] } {
  const lines = stdout.trimEnd().split('\n');
  const opening = lines.findLastIndex((line, i) => RULE.test(line) && i < lines.length - 1);
  return { before: lines.slice(0, opening), block: lines.slice(opening) };
}

describe('the embedded defaults (no configuration)', () => {
  let dataDir: string;
  let service: ServiceProcess;
  const port = () => Number(new URL(service.url).port);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-defaults-'));
    // As an earlier version or a careless copy leaves it: open to everyone.
    chmodSync(dataDir, 0o755);
    service = await startService({ KV_DATA_DIR: dataDir }, 120000);
    await expectEventually(() => expect(service.stdout().trimEnd()).toMatch(/\n═+$/));
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends its console output with the framed admin token, right after the listening line', async () => {
    const { before, block } = banner(service.stdout());
    expect(before.at(-1)).toContain(`KV Service listening on http://127.0.0.1:${port()}`);
    expect(block).toEqual([
      expect.stringMatching(RULE),
      expect.stringMatching(/^Development admin token/),
      expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      '',
      `Saved to ${dataDir}/admin-token; in a shell: export KV_TOKEN=$(cat ${dataDir}/admin-token)`,
      expect.stringMatching(RULE),
    ]);
    const token = block[2];
    expect(service.output().split(token)).toHaveLength(2);
    const listed = await fetch(`${service.url}/api/v1/kv/namespaces`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
  });

  it('saves that token in KV_DATA_DIR/admin-token, readable by its owner only', () => {
    const path = join(dataDir, 'admin-token');
    expect(readFileSync(path, 'utf8').trim()).toBe(banner(service.stdout()).block[2]);
    expect(mode(path)).toBe(0o600);
  });

  it('keeps its files to its owner: the directories 0700, the key, secret and token 0600', () => {
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'pgdata'))).toBe(0o700);
    for (const file of ['master-key', 'auth-secret', 'admin-token']) {
      expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    }
  });

  it('listens on loopback only', async () => {
    expect(await accepts('127.0.0.1', port())).toBe(true);
    const outside = outsideAddress();
    if (outside !== undefined) {
      expect(await accepts(outside, port())).toBe(false);
    }
  });

  it('narrows files left open on the next start, replaces the token, and listens where HOST says', async () => {
    const before = readFileSync(join(dataDir, 'admin-token'), 'utf8');
    expect(await service.stop()).toBe('SIGTERM');
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'pgdata'), 0o755);
    for (const file of ['master-key', 'auth-secret', 'admin-token']) {
      chmodSync(join(dataDir, file), 0o644);
    }
    service = await startService({ KV_DATA_DIR: dataDir, HOST: '0.0.0.0' }, 120000);
    await expectEventually(() => expect(service.stdout().trimEnd()).toMatch(/\n═+$/));
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'pgdata'))).toBe(0o700);
    for (const file of ['master-key', 'auth-secret', 'admin-token']) {
      expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    }
    const after = readFileSync(join(dataDir, 'admin-token'), 'utf8');
    expect(after).not.toBe(before);
    expect(after.trim()).toBe(banner(service.stdout()).block[2]);
    const outside = outsideAddress();
    if (outside !== undefined) {
      expect(await accepts(outside, port())).toBe(true);
    }
  });
});

describe('NODE_ENV=production', () => {
  const root = mkdtempSync(join(tmpdir(), 'kv-production-'));

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start without configuration, naming every missing setting, and writes nothing', async () => {
    const dataDir = join(root, 'data');
    const { code, output } = await runServiceToExit({
      NODE_ENV: 'production',
      KV_DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const variable of ['DATABASE_URL', 'KV_MASTER_KEY', 'AUTH_JWT_SECRET']) {
      expect(lines[0]).toContain(variable);
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('names DATABASE_URL alone when the keys are set', async () => {
    const key = randomBytes(32).toString('base64');
    const { code, output } = await runServiceToExit({
      NODE_ENV: 'production',
      KV_DATA_DIR: join(root, 'data'),
      KV_MASTER_KEY: key,
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    });
    expect(code).toBe(1);
    expect(output.trim()).toMatch(
      /^Invalid configuration: DATABASE_URL is required when NODE_ENV=production/,
    );
    expect(output).not.toContain(key);
  });
});
