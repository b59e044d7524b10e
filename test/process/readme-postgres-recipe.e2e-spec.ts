import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { expectEventually } from '../utils/expect-eventually';
import { freePort } from '../utils/service-process';
import { TEST_SERVER_URL } from '../utils/test-env';

const ROOT = join(__dirname, '..', '..');

/** The shell blocks of README.md's real-PostgreSQL recipe, in order. */
function recipeBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- postgres-recipe:begin -->([\s\S]*)<!-- postgres-recipe:end -->/.exec(
    readme,
  );
  if (section === null) {
    throw new Error('README.md has no postgres-recipe section');
  }
  return [...section[1].matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe("README's real-PostgreSQL recipe", () => {
  const database = `kv_recipe_${process.pid}_${Date.now()}`;
  let dir: string;
  let service: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-recipe-'));
  });

  afterAll(async () => {
    service?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    const client = new Client({ connectionString: TEST_SERVER_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  });

  it('creates the database and a secrets file once, starts on them, and mints tokens from the same file', async () => {
    const [start, token] = recipeBlocks();
    const port = await freePort();
    const envFile = join(dir, '.env');
    // Its own database and file; dist/ is already built by `npm test`, and other suites use it.
    const ours = (block: string): string =>
      block
        .replaceAll("datname = 'kv'", `datname = '${database}'`)
        .replaceAll('postgres kv\n', `postgres ${database}\n`)
        .replaceAll('5432/kv\\n', `5432/${database}\\n`)
        .replaceAll('.env', envFile)
        .replace('npm run build\n', '')
        .replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${port}`);
    const [prepare, run] = ours(start).split(/\n(?=node --env-file)/);
    const bash = (script: string) =>
      spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });

    expect(bash(prepare)).toMatchObject({ status: 0 });
    const secrets = readFileSync(envFile, 'utf8');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(bash(prepare)).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(envFile, 'utf8')).toBe(secrets);

    service = spawn('bash', ['-c', `exec ${run.trim()}`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    await expectEventually(async () => {
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    }, 60000);

    const minted = bash(ours(token));
    expect(minted).toMatchObject({ status: 0 });
    expect(JSON.parse(minted.stdout)).toEqual({ items: [], nextCursor: null });
  });
});
