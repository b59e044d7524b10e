import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';
import { runCli } from '../utils/run-cli';
import { ServiceProcess, startService } from '../utils/service-process';

const API = '/api/v1/kv';

// A service of its own on a fresh data directory: keys:rewrap needs it stopped at the end.
describe('operator CLIs, built to dist/ and run with plain node', () => {
  const scratch: string[] = [];
  const freshDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  const dataDir = freshDir('kv-cli-');
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({ KV_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000);
  });

  afterAll(async () => {
    await service?.stop();
    for (const dir of scratch) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${service.url}${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('mint-token signs with the running embedded service secret; the token grants what was asked, no more', async () => {
    const { code, stdout, stderr } = await runCli(
      'mint-token',
      [
        '--sub',
        'cli-operator',
        '--permissions',
        'kv-namespace:read,kv-namespace:write',
        '--applications',
        'app-cli',
        '--ttl',
        '5m',
      ],
      { KV_DATA_DIR: dataDir },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const token = stdout.trim();
    const created = await call('POST', '/namespaces', token, {
      name: `cli-${Date.now()}`,
      applicationId: 'app-cli',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call('GET', `/namespaces/${id}`, token)).status).toBe(200);
    expect(
      (await call('POST', '/namespaces', token, { name: 'elsewhere', applicationId: 'app-other' }))
        .status,
    ).toBe(403);
    expect((await call('GET', '/audit', token)).status).toBe(403);
  });

  it('npm run token runs the built CLI', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        'run',
        '-s',
        'token',
        '--',
        '--sub',
        'npm-user',
        '--permissions',
        'kv-namespace:read',
        '--applications',
        '*',
      ],
      { cwd: join(__dirname, '..', '..'), env: { PATH: process.env.PATH, KV_DATA_DIR: dataDir } },
    );
    const listed = await call('GET', '/namespaces?limit=1', stdout.trim());
    expect(listed.status).toBe(200);
  });

  it('mint-token signs with AUTH_JWT_SECRET when it is set, with issuer and audience', async () => {
    const secret = 'cli-secret-'.padEnd(40, 'x');
    const { code, stdout } = await runCli(
      'mint-token',
      ['--sub', 'svc', '--permissions', 'kv-entry:read', '--applications', 'app-1', '--ttl', '1h'],
      {
        KV_DATA_DIR: freshDir('kv-cli-secret-'),
        AUTH_JWT_SECRET: secret,
        AUTH_JWT_ISSUER: 'idp',
        AUTH_JWT_AUDIENCE: 'kv',
      },
    );
    expect(code).toBe(0);
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(secret), {
      issuer: 'idp',
      audience: 'kv',
    });
    expect(payload).toMatchObject({
      sub: 'svc',
      permissions: ['kv-entry:read'],
      applications: ['app-1'],
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it.each([
    ['no --sub', ['--permissions', 'kv-entry:read', '--applications', 'a'], '--sub is required'],
    [
      'an unknown permission',
      ['--sub', 'a', '--permissions', 'kv:all', '--applications', 'a'],
      'unknown permission',
    ],
    [
      'a bad --ttl',
      ['--sub', 'a', '--permissions', 'kv-entry:read', '--applications', 'a', '--ttl', '0'],
      '--ttl',
    ],
  ])('mint-token answers %s with its usage and exit code 1', async (_, args, problem) => {
    const { code, stdout, stderr } = await runCli('mint-token', args, { KV_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(problem);
    expect(stderr).toContain('usage: npm run token');
  });

  it('keys:rewrap answers --help with its usage, and an unknown option with exit code 1', async () => {
    const help = await runCli('rewrap-keys', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run keys:rewrap');
    const bad = await runCli('rewrap-keys', ['--now'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('usage: npm run keys:rewrap');
  });

  it('keys:rewrap refuses a KV_DATA_DIR without an embedded database', async () => {
    const { code, stderr } = await runCli('rewrap-keys', [], {
      KV_DATA_DIR: freshDir('kv-cli-empty-'),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('no embedded database');
  });

  // Last: it stops the service, whose data directory PGlite opens for one process at a time.
  it('keys:rewrap re-wraps the data keys of the stopped embedded service and reports them', async () => {
    const token = (
      await runCli(
        'mint-token',
        ['--sub', 'a', '--permissions', 'kv-namespace:write', '--applications', 'app-1'],
        { KV_DATA_DIR: dataDir },
      )
    ).stdout.trim();
    const created = await call('POST', '/namespaces', token, {
      name: 'vault',
      applicationId: 'app-1',
      isSecretNamespace: true,
    });
    expect(created.status).toBe(201);
    await service.stop();
    const { code, stdout } = await runCli('rewrap-keys', [], { KV_DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      activeMasterKeyId: 'embedded',
      dataKeysByMasterKeyId: { embedded: 1 },
    });
    // A new active key: piped, the re-wrap prints its report and no progress bar.
    const embedded = readFileSync(join(dataDir, 'master-key'), 'utf8').trim();
    const second = randomBytes(32).toString('base64');
    const rotated = await runCli('rewrap-keys', [], {
      KV_DATA_DIR: dataDir,
      KV_MASTER_KEYS: `second:${second},embedded:${embedded}`,
    });
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(rotated.stdout.trim())).toEqual({
      activeMasterKeyId: 'second',
      dataKeysByMasterKeyId: { second: 1 },
    });
    // On a terminal (util-linux script gives it one), a bar on standard error.
    const third = randomBytes(32).toString('base64');
    const { stdout: terminal } = await promisify(execFile)(
      'script',
      ['-qec', `${process.execPath} dist/cli/rewrap-keys.js`, '/dev/null'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          KV_DATA_DIR: dataDir,
          KV_MASTER_KEYS: `third:${third},second:${second}`,
        },
      },
    );
    expect(terminal).toMatch(/keys:rewrap \[[^\]]*\] 100% \| 1\/1 data keys/);
    expect(terminal).toContain('"dataKeysByMasterKeyId":{"third":1}');
  });
});
