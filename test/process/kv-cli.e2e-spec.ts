import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { parse as parseDotenv } from 'dotenv';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { expectEventually } from '../utils/expect-eventually';
import { KV_BIN, KvResult, finished, runKv, startKv } from '../utils/run-kv';
import { ServiceProcess, freePort, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const HOSTILE = {
  MULTI_LINE: 'line one\nline two\r\nline three',
  QUOTES: `it's "double" and \`back\``,
  DOLLAR: '$HOME ${PATH} $(id)',
  HASH: 'value # not a comment',
  BACKSLASH: 'C:\\dir\\n\\',
  INJECTION: 'x\nEVIL=1',
  EMPTY: '',
};

/** One line on stderr, naming the problem's code, and a non-zero exit. */
function expectFailure(result: KvResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('the kv CLI, built and run as a child process against the built service', () => {
  const database = new TestDatabase('kvcli');
  const scratch = mkdtempSync(join(tmpdir(), 'kv-cli-'));
  let service: ServiceProcess;
  let tokens: Tokens;
  let env: Record<string, string>;
  let app: string;
  let counter = 0;

  const kv = (args: string[], input = '', extra: Record<string, string> = {}) =>
    runKv(args, { ...env, ...extra }, input);
  /** A namespace of its own for each test, named applicationId:name. */
  const namespace = async (options: string[] = []) => {
    counter += 1;
    const ref = `${app}:ns-${counter}`;
    const created = await kv(['ns', 'create', ref, ...options]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    return ref;
  };

  /** The id of a namespace named applicationId:name. */
  const idOf = async (ref: string) =>
    (JSON.parse((await kv(['ns', 'show', ref, '-o', 'json'])).stdout) as { id: string }).id;
  /** A change straight through the API, as another client makes it. */
  const putViaApi = async (nsId: string, key: string, value: string) => {
    const res = await fetch(`${service.url}/api/v1/kv/${nsId}/entries/${key}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${env.KV_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value, valueType: 'STRING' }),
    });
    expect(res.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    await database.create();
    const service_env = serviceEnv(database.url);
    service = await startService(service_env);
    tokens = new Tokens(service_env.AUTH_JWT_SECRET);
    app = `app-cli-${process.pid}`;
    env = {
      KV_URL: service.url,
      KV_TOKEN: await tokens.mint({ sub: 'cli-user', applications: [app] }),
      XDG_CONFIG_HOME: join(scratch, 'config'),
    };
  });

  afterAll(async () => {
    await service?.stop();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('ns create, ls, show and rm, naming namespaces as applicationId:name, in json, table and raw', async () => {
    const ref = await namespace(['--secret', '--description', 'payments']);
    const listed = await kv(['ns', 'ls', '--output', 'json']);
    expect(listed.code).toBe(0);
    const items = JSON.parse(listed.stdout) as { id: string; name: string }[];
    const mine = items.find((ns) => `${app}:${ns.name}` === ref)!;
    expect(mine).toMatchObject({ isSecretNamespace: true, description: 'payments' });
    expect((await kv(['ns', 'ls', '-o', 'raw'])).stdout.split('\n')).toContain(ref);
    const table = await kv(['ns', 'show', ref]);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+ID\s+SECRET\s+DESCRIPTION$/);
    expect(table.stdout).toContain(mine.id);
    const byId = await kv(['ns', 'show', mine.id, '-o', 'json']);
    expect(JSON.parse(byId.stdout)).toEqual(mine);
    expect(await kv(['ns', 'rm', ref])).toMatchObject({ code: 0, stderr: `deleted ${ref}\n` });
    expectFailure(await kv(['ns', 'show', ref]), /^kv: NAMESPACE_NOT_FOUND \(404\): /);
  });

  it('put, get, ls and rm; values from arguments or standard input, typed, guarded by --if-version', async () => {
    const ref = await namespace();
    expect(await kv(['put', ref, 'db/host', 'db.internal'])).toMatchObject({
      code: 0,
      stdout: 'created db/host version 1\n',
    });
    expect((await kv(['put', ref, 'db/port', '5432', '--type', 'number'])).code).toBe(0);
    const pem = '-----BEGIN KEY-----\nabc\n-----END KEY-----\n';
    expect((await kv(['put', ref, 'db/cert', '-'], pem)).code).toBe(0);
    expect((await kv(['get', ref, 'db/host'])).stdout).toBe('db.internal');
    expect((await kv(['get', ref, 'db/cert'])).stdout).toBe(pem);
    const port = await kv(['get', ref, 'db/port', '--json']);
    expect(JSON.parse(port.stdout)).toMatchObject({ value: 5432, valueType: 'NUMBER', version: 1 });
    expect((await kv(['ls', ref, 'db/', '-o', 'raw'])).stdout).toBe('db/cert\ndb/host\ndb/port\n');
    expect(await kv(['put', ref, 'db/host', 'db2', '--if-version', '1'])).toMatchObject({
      code: 0,
      stdout: 'updated db/host version 2\n',
    });
    expectFailure(
      await kv(['put', ref, 'db/host', 'db3', '--if-version', '1']),
      /^kv: VERSION_CONFLICT \(409\): /,
    );
    expectFailure(
      await kv(['put', ref, 'db/port', 'many', '--type', 'NUMBER']),
      /^kv: "many" is not a number$/m,
    );
    expect((await kv(['rm', ref, 'db/host'])).code).toBe(0);
    expectFailure(await kv(['get', ref, 'db/host']), /^kv: ENTRY_NOT_FOUND \(404\): /);
    expectFailure(await kv(['put', ref, 'bad//key', 'x']), /^kv: VALIDATION_FAILED \(400\): /);
  });

  it('versions, rotate and rollback of a secret, never printing a value', async () => {
    const ref = await namespace(['--secret']);
    await kv(['put', ref, 'api/key', 'first-secret']);
    expect(await kv(['rotate', ref, 'api/key', 'second-secret'])).toMatchObject({
      code: 0,
      stdout: 'rotated api/key: now version 2\n',
    });
    const rolledBack = await kv(['rollback', ref, 'api/key', '1']);
    expect(rolledBack.stdout).toBe('rolled back to version 1: api/key: now version 3\n');
    expect((await kv(['get', ref, 'api/key'])).stdout).toBe('first-secret');
    const versions = await kv(['versions', ref, 'api/key', '-o', 'json']);
    expect(
      (JSON.parse(versions.stdout) as { version: number; changeReason: string }[]).map((v) => [
        v.version,
        v.changeReason,
      ]),
    ).toEqual([
      [3, 'rollback'],
      [2, 'rotation'],
      [1, 'create'],
    ]);
    expect(`${versions.stdout}${rolledBack.stderr}`).not.toContain('secret"');
  });

  it('export → import → export is the same document byte for byte, and import --dry-run plans what import does', async () => {
    const source = await namespace(['--secret']);
    for (const [key, value] of Object.entries(HOSTILE)) {
      expect((await kv(['put', source, `app/${key}`, '-'], value)).code).toBe(0);
    }
    const exported = await kv(['export', source, '--prefix', 'app']);
    expect(exported.code).toBe(0);
    expect(parseDotenv(exported.stdout)).toEqual(HOSTILE);
    const file = join(scratch, 'app.env');
    writeFileSync(file, exported.stdout);
    const target = await namespace();
    await kv(['put', target, 'stale', 'x']);
    const dry = await kv(['import', target, file, '--prune', '--dry-run', '-o', 'json']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(
      /^dry run, nothing changed: would be 7 created, 0 updated, 1 deleted/,
    );
    expect((await kv(['ls', target, '-o', 'raw'])).stdout).toBe('stale\n');
    const applied = await kv(['import', target, file, '--prune', '-o', 'json']);
    expect(applied.stderr).toBe('7 created, 0 updated, 1 deleted, 0 unchanged (revision 2)\n');
    expect({ ...JSON.parse(applied.stdout), dryRun: true, revision: 1 }).toEqual(
      JSON.parse(dry.stdout),
    );
    const again = await kv(['export', target]);
    expect(again.stdout).toBe(exported.stdout);
    const table = await kv(['import', target, file]);
    expect(table.stdout).toBe('CHANGE  KEY  VERSION\n');
    expect(table.stderr).toBe('0 created, 0 updated, 0 deleted, 7 unchanged (revision 2)\n');
    for (const format of ['json', 'yaml']) {
      const document = join(scratch, `doc.${format}`);
      expect((await kv(['export', source, '--format', format, '--file', document])).code).toBe(0);
      expect(statSync(document).mode & 0o777).toBe(0o600);
      const copy = await namespace();
      expect((await kv(['import', copy, document, '--yes'])).code).toBe(0);
      expect((await kv(['export', copy, '--format', format])).stdout).toBe(
        readFileSync(document, 'utf8'),
      );
    }
  });

  it('audit lists what was done', async () => {
    const ref = await namespace();
    await kv(['put', ref, 'audited/key', 'x']);
    const audit = await kv(['audit', '--ns', ref, '--key', 'audited/key', '-o', 'json']);
    expect(
      (JSON.parse(audit.stdout) as { items: { action: string; userId: string }[] }).items,
    ).toEqual([expect.objectContaining({ action: 'WRITE', userId: 'cli-user' })]);
  });

  it('fails with one line naming the problem: no token, a bad token, a foreign namespace, no service', async () => {
    expectFailure(
      await runKv(['ns', 'ls'], { KV_URL: service.url, XDG_CONFIG_HOME: join(scratch, 'none') }),
      /^kv: no token: /,
    );
    expectFailure(
      await kv(['ns', 'ls'], '', { KV_TOKEN: 'not-a-token' }),
      /^kv: UNAUTHORIZED \(401\): /,
    );
    const reader = await tokens.only([KvPermission.EntryRead], [app]);
    expectFailure(
      await kv(['ns', 'create', `${app}:nope`], '', { KV_TOKEN: reader }),
      /^kv: FORBIDDEN \(403\): /,
    );
    expectFailure(
      await kv(['ns', 'show', 'other-app:secret-ns']),
      /^kv: NAMESPACE_NOT_FOUND \(404\): /,
    );
    expectFailure(await kv(['ls', 'no-colon']), /^kv: name a namespace by its id or as/);
    expectFailure(
      await kv(['ns', 'ls'], '', { KV_URL: `http://127.0.0.1:${await freePort()}` }),
      /^kv: cannot reach the service: ECONNREFUSED$/m,
    );
  });

  it('login keeps the URL and token in a 0600 profile, used when KV_URL and KV_TOKEN are not set', async () => {
    const home = join(scratch, 'login');
    const login = await runKv(['login', '--url', service.url, '--token', env.KV_TOKEN], {
      XDG_CONFIG_HOME: home,
    });
    expect(login.code).toBe(0);
    const profile = join(home, 'kv', 'config');
    expect(statSync(profile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toEqual({
      url: service.url,
      token: env.KV_TOKEN,
    });
    expect((await runKv(['ns', 'ls', '-o', 'json'], { XDG_CONFIG_HOME: home })).code).toBe(0);
    chmodSync(profile, 0o644);
    expectFailure(
      await runKv(['ns', 'ls'], { XDG_CONFIG_HOME: home }),
      /^kv: .* is readable by others \(mode 644\): chmod 600 /,
    );
    expectFailure(
      await runKv(['login', '--url', service.url, '--token', 'bad'], { XDG_CONFIG_HOME: home }),
      /^kv: UNAUTHORIZED \(401\)/,
    );
  });

  describe('revisions', () => {
    it('import --expected-revision applies only at that revision; the summary names the revision', async () => {
      const ref = await namespace();
      await kv(['put', ref, 'A', 'a']);
      const file = join(scratch, 'guarded.env');
      writeFileSync(file, 'A=changed-secret\nB=b\n');
      const stale = await kv(['import', ref, file, '--expected-revision', '0']);
      expectFailure(
        stale,
        /^kv: REVISION_CONFLICT \(409\): expected revision 0, the namespace is at 1/,
      );
      expect(stale.stderr).not.toContain('changed-secret');
      expect((await kv(['get', ref, 'A'])).stdout).toBe('a');
      const dry = await kv(['import', ref, file, '--dry-run', '--expected-revision', '1']);
      expect(dry.stderr).toBe(
        'dry run, nothing changed: would be 1 created, 1 updated, 0 deleted, 0 unchanged (planned at revision 1)\n',
      );
      const applied = await kv(['import', ref, file, '--expected-revision', '1', '-o', 'json']);
      expect(applied.stderr).toBe('1 created, 1 updated, 0 deleted, 0 unchanged (revision 2)\n');
      expect(JSON.parse(applied.stdout)).toMatchObject({ dryRun: false, revision: 2 });
      const usage = await kv(['import', ref, file, '--expected-revision', 'one']);
      expect(usage.code).toBe(1);
      expect(usage.stderr.split('\n')[0]).toBe(
        "error: option '--expected-revision <revision>' argument 'one' is invalid. --expected-revision must be a whole number",
      );
    });

    it('export --as-of-revision writes the namespace as a past revision left it; 400 ahead, 410 compacted', async () => {
      const ref = await namespace();
      await kv(['put', ref, 'A', 'first']);
      await kv(['put', ref, 'A', 'second']);
      await kv(['put', ref, 'B', 'later']);
      expect(await kv(['export', ref, '--as-of-revision', '1'])).toMatchObject({
        code: 0,
        stdout: 'A=first\n',
        stderr: '',
      });
      expect((await kv(['export', ref, '--as-of-revision', '2', '--format', 'json'])).stdout).toBe(
        (await kv(['export', ref, '--format', 'json'])).stdout.replace(/,?\s*"B": "later"/, ''),
      );
      expectFailure(
        await kv(['export', ref, '--as-of-revision', '4']),
        /^kv: VALIDATION_FAILED \(400\): asOfRevision 4 is ahead of the namespace's revision 3/,
      );
      await database.query(
        'UPDATE namespace_revisions SET compacted_revision = 2 WHERE namespace_id = $1',
        [await idOf(ref)],
      );
      expectFailure(
        await kv(['export', ref, '--as-of-revision', '1']),
        /^kv: REVISION_COMPACTED \(410\): revision 1 is older than the history kept/,
      );
    });

    it('shows no progress bar when piped, and one on a terminal, for an export of over 1 000 keys', async () => {
      const ref = await namespace();
      const file = join(scratch, 'many.env');
      writeFileSync(file, Array.from({ length: 1000 }, (_, i) => `K${1000 + i}=v${i}`).join('\n'));
      expect((await kv(['import', ref, file, '--yes'])).code).toBe(0);
      await kv(['put', ref, 'K9999', 'one more']);
      const piped = await kv(['export', ref]);
      expect(piped.code).toBe(0);
      expect(piped.stderr).toBe('');
      expect(piped.stdout.trimEnd().split('\n')).toHaveLength(1001);
      expect(piped.stdout).not.toContain('keys [');
      // util-linux script gives kv a terminal; the document goes to a file.
      const out = join(scratch, 'many-export.env');
      const terminal = await finished(
        spawn(
          'script',
          ['-qec', `${process.execPath} ${KV_BIN} export ${ref} --file ${out}`, '/dev/null'],
          { env: { PATH: process.env.PATH ?? '', ...env } },
        ),
      );
      expect(terminal.code).toBe(0);
      expect(terminal.stdout).toMatch(/export 1001 keys \[[^\]]*\] 100% \| \d+\/\d+ bytes/);
      expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
    });
  });

  describe('kv run', () => {
    const script = (code: string) => ['node', '-e', code];

    it('gives the command the variables, never printing a value, and ends with its exit code', async () => {
      const ref = await namespace(['--secret']);
      await kv(['put', ref, 'config/database/url', 'postgres://u:p4ss@db/app']);
      await kv(['put', ref, 'config/multi', 'a\nb']);
      await kv(['put', ref, 'other', 'not under the prefix']);
      const result = await kv([
        'run',
        '--ns',
        ref,
        '--prefix',
        'config',
        '--',
        ...script(
          'console.log(JSON.stringify({ url: process.env.DATABASE_URL, multi: process.env.MULTI, other: process.env.OTHER ?? null })); process.exit(7)',
        ),
      ]);
      expect(result.code).toBe(7);
      expect(JSON.parse(result.stdout)).toEqual({
        url: 'postgres://u:p4ss@db/app',
        multi: 'a\nb',
        other: null,
      });
      expect(result.stderr).toBe('');
      const failing = await kv(['run', '--ns', ref, '--', 'no-such-command-kv']);
      expect(failing).toMatchObject({
        code: 127,
        stderr: 'kv: cannot run no-such-command-kv: ENOENT\n',
      });
    });

    it('forwards SIGTERM to the command and ends as it does', async () => {
      const ref = await namespace();
      await kv(['put', ref, 'GREETING', 'hello']);
      const child = startKv(
        [
          'run',
          '--ns',
          ref,
          '--',
          ...script(
            "process.on('SIGTERM', () => { console.log('got SIGTERM with ' + process.env.GREETING); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);",
          ),
        ],
        env,
      );
      const result = finished(child);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await expectEventually(() => expect(out).toContain('ready'), 20000);
      child.kill('SIGTERM');
      expect(await result).toMatchObject({
        code: 42,
        stdout: 'ready\ngot SIGTERM with hello\n',
      });
    });

    it('--watch follows the watch feed: one restart per burst of changes made through the API, the exit code passed on', async () => {
      const ref = await namespace(['--secret']);
      const nsId = await idOf(ref);
      await kv(['put', ref, 'app/COLOR', 'red']);
      await kv(['put', ref, 'app/SIZE', 's']);
      const child = startKv(
        [
          'run',
          '--ns',
          ref,
          '--prefix',
          'app',
          '--watch',
          '--quiet',
          '2',
          '--',
          ...script(
            "console.log(process.env.COLOR + ' ' + process.env.SIZE); process.on('SIGTERM', () => process.exit(3)); setInterval(() => {}, 1000);",
          ),
        ],
        env,
      );
      const result = finished(child);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await expectEventually(() => expect(out).toBe('red s\n'), 20000);
      // A burst: three changes in quick succession, one restart with all of them.
      await putViaApi(nsId, 'app/COLOR', 'blue');
      await putViaApi(nsId, 'app/SIZE', 'm');
      await putViaApi(nsId, 'app/COLOR', 'green');
      await expectEventually(() => expect(out).toBe('red s\ngreen m\n'), 20000);
      // History compacted past the watch's position: 410, then a resync from the namespace.
      await database.query(
        'UPDATE namespace_revisions SET compacted_revision = revision + 1 WHERE namespace_id = $1',
        [nsId],
      );
      await putViaApi(nsId, 'app/SIZE', 'xl');
      await expectEventually(() => expect(out).toBe('red s\ngreen m\ngreen xl\n'), 20000);
      child.kill('SIGTERM');
      const ended = await result;
      expect(ended.code).toBe(3);
      expect(ended.stderr).toBe(`kv: ${ref} changed; restarting node\n`.repeat(2));
    });

    it('--watch restarts the command once the namespace has changed', async () => {
      const ref = await namespace();
      await kv(['put', ref, 'COLOR', 'red']);
      const child = startKv(
        [
          'run',
          '--ns',
          ref,
          '--watch',
          '--quiet',
          '1',
          '--',
          ...script(
            "console.log('color=' + process.env.COLOR); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);",
          ),
        ],
        env,
      );
      const result = finished(child);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await expectEventually(() => expect(out).toBe('color=red\n'), 20000);
      await kv(['put', ref, 'COLOR', 'blue']);
      await expectEventually(() => expect(out).toBe('color=red\ncolor=blue\n'), 20000);
      child.kill('SIGTERM');
      const ended = await result;
      expect(ended.code).toBe(0);
      expect(ended.stderr).toBe(`kv: ${ref} changed; restarting node\n`);
    });
  });
});
