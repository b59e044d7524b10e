import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KV_BIN } from '../utils/run-kv';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const ROOT = join(__dirname, '..', '..');

/** The shell blocks of README.md's CLI examples, in order. */
function exampleBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- cli-examples:begin -->([\s\S]*)<!-- cli-examples:end -->/.exec(readme);
  if (section === null) {
    throw new Error('README.md has no cli-examples section');
  }
  return [...section[1].matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe("README's CLI examples", () => {
  const database = new TestDatabase('readmecli');
  const scratch = mkdtempSync(join(tmpdir(), 'kv-readme-cli-'));
  let service: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    await database.create();
    const env = serviceEnv(database.url);
    service = await startService(env);
    token = await new Tokens(env.AUTH_JWT_SECRET).mint({ sub: 'readme-user' });
  });

  afterAll(async () => {
    await service?.stop();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('run as written: log in, the daily commands and kv run', () => {
    // `kv` on the PATH as `npm link` puts it there; the service and token are this test's.
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kv'), `#!/bin/sh\nexec "${process.execPath}" "${KV_BIN}" "$@"\n`);
    chmodSync(join(bin, 'kv'), 0o755);
    const work = join(scratch, 'work');
    mkdirSync(work);
    const script = exampleBlocks()
      .join('\n')
      .replaceAll('http://127.0.0.1:3000', service.url)
      .replaceAll('"$(cat ./data/admin-token)"', token);
    const run = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {
      cwd: work,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: join(scratch, 'config'),
      },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining(`logged in to ${service.url}`),
    });
    expect(run.stderr).toContain(
      'dry run, nothing changed: would be 2 created, 0 updated, 0 deleted, 0 unchanged (planned at revision 1)\n',
    );
    expect(run.stderr).toContain('2 created, 0 updated, 0 deleted, 0 unchanged (revision 2)\n');
    // The guarded import changes nothing (revision 2 stays), and revision 2 exports as now.
    expect(run.stderr).toContain('0 created, 0 updated, 0 deleted, 2 unchanged (revision 2)\n');
    expect(run.stdout.split('DATABASE_HOST=db.internal\nLOG_LEVEL=info\n')).toHaveLength(3);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('created db/password version 1');
    expect(lines).toContain('log level: info');
    expect(
      lines.filter((line) => /^(config|db)\//.test(line)).map((l) => l.split(/\s+/)[0]),
    ).toEqual(['config/DATABASE_HOST', 'config/LOG_LEVEL', 'db/password']);
    expect(run.stdout).toContain('DATABASE_HOST=db.internal\nLOG_LEVEL=info\n');
    expect(readFileSync(join(work, 'exported.env'), 'utf8')).toBe(
      'DATABASE_HOST=db.internal\nLOG_LEVEL=info\n',
    );
    expect(lines[lines.length - 2]).toBe('host=db.internal');
    expect(run.stdout).not.toContain('s3cr3t');
  });
});
