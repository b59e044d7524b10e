import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { EntryDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { TEST_SERVER_URL, databaseUrl } from '../utils/test-env';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

/** Runs `npm run keys:rewrap` as an operator would, against the given database and ring. */
async function rewrap(
  url: string,
  ring: string,
): Promise<{ activeMasterKeyId: string; dataKeysByMasterKeyId: Record<string, number> }> {
  const { stdout } = await promisify(execFile)(
    'npx',
    ['ts-node', '--transpile-only', join(__dirname, '../../src/cli/rewrap-keys.ts')],
    {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: url,
        KV_MASTER_KEYS: ring,
        AUTH_JWT_SECRET: 'x'.repeat(32),
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('master key rotation', () => {
  const name = `kv_rotation_${Date.now()}_${process.pid}`;
  const url = databaseUrl(name);
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  let app: TestApp | undefined;

  const start = async (ring: string) => {
    await app?.close();
    app = await createTestApp({
      env: { DATABASE_URL: url, KV_MASTER_KEY: '', KV_MASTER_KEYS: ring },
    });
    return app;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  });

  afterAll(async () => {
    await app?.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('keeps every version readable through k1 → k2,k1 → rewrap → k2, and never yields garbage', async () => {
    let sut = await start(`k1:${k1}`);
    const secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const plain = (await createNamespace(sut.http())).id;
    const entry = `${API}/${secret}/entries/db/password`;
    await sut.http().put(entry).send({ value: 'first', valueType: 'STRING' });
    await sut.http().post(`${entry}/rotate`).send({ value: 'second' });
    await sut
      .http()
      .put(`${API}/${plain}/entries/plain`)
      .send({ value: 'visible', valueType: 'STRING' });

    sut = await start(`k2:${k2},k1:${k1}`);
    expect(bodyOf<EntryDto>(await sut.http().get(entry)).value).toBe('second');

    const reader = new Client({ connectionString: url });
    await reader.connect();
    try {
      const ciphertexts = async () =>
        (
          await reader.query(
            'SELECT value_ciphertext FROM entries WHERE value_ciphertext IS NOT NULL UNION ALL SELECT value_ciphertext FROM entry_versions WHERE value_ciphertext IS NOT NULL ORDER BY 1',
          )
        ).rows.map((r: { value_ciphertext: Buffer }) => r.value_ciphertext.toString('hex'));
      const before = await ciphertexts();
      expect(await rewrap(url, `k2:${k2},k1:${k1}`)).toEqual({
        activeMasterKeyId: 'k2',
        dataKeysByMasterKeyId: { k2: 1 },
      });
      expect(await ciphertexts()).toEqual(before);
    } finally {
      await reader.end();
    }

    sut = await start(`k2:${k2}`);
    expect(bodyOf<EntryDto>(await sut.http().get(entry)).value).toBe('second');
    const rolledBack = await sut.http().post(`${entry}/rollback`).send({ version: 1 });
    expect(rolledBack.body).toMatchObject({ value: 'first', version: 3 });
    expect((await request(sut.target).get('/health/ready')).body.details.crypto).toEqual({
      status: 'up',
    });

    sut = await start(`k1:${k1}`);
    const sealed = await sut.http().get(entry);
    expect(sealed.status).toBe(503);
    expect(bodyOf<ProblemDto>(sealed).code).toBe('SERVICE_UNAVAILABLE');
    expect(bodyOf<ProblemDto>(sealed).detail).toContain('k2');
    expect(bodyOf<EntryDto>(await sut.http().get(`${API}/${plain}/entries/plain`)).value).toBe(
      'visible',
    );
    const ready = await request(sut.target).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.crypto).toEqual({
      status: 'sealed',
      missingMasterKeyIds: ['k2'],
      mismatchedMasterKeyIds: [],
      damagedDataKeys: 0,
    });

    sut = await start(`k2:${randomBytes(32).toString('base64')}`);
    const wrongKey = await sut.http().get(entry);
    expect(wrongKey.status).toBe(503);
    expect(JSON.stringify(wrongKey.body)).not.toMatch(/first|second/);
  });
});

describe('readiness with a different master key under the id in use', () => {
  const name = `kv_wrong_key_${Date.now()}_${process.pid}`;
  const url = databaseUrl(name);
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  let app: TestApp | undefined;

  // KV_MASTER_KEY alone names its key "default": what a second `openssl rand` in a compose
  // file produces on the next `up`.
  const start = async (key: string) => {
    await app?.close();
    app = await createTestApp({
      env: { DATABASE_URL: url, KV_MASTER_KEY: key, KV_MASTER_KEYS: '' },
    });
    return app;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  });

  afterAll(async () => {
    await app?.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('answers 503 with crypto sealed, naming the id, while secrets fail and plain entries serve', async () => {
    let sut = await start(k1);
    const secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const plain = (await createNamespace(sut.http())).id;
    const entry = `${API}/${secret}/entries/db/password`;
    expect((await sut.http().put(entry).send({ value: 'kept', valueType: 'STRING' })).status).toBe(
      201,
    );
    await sut
      .http()
      .put(`${API}/${plain}/entries/plain`)
      .send({ value: 'visible', valueType: 'STRING' });
    expect((await request(sut.target).get('/health/ready')).body.details.crypto).toEqual({
      status: 'up',
    });

    sut = await start(k2);
    const ready = await request(sut.target).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      error: { crypto: { status: 'sealed' } },
      details: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
    expect(ready.body.details.crypto).toEqual({
      status: 'sealed',
      missingMasterKeyIds: [],
      mismatchedMasterKeyIds: ['default'],
      damagedDataKeys: 0,
    });
    const read = await sut.http().get(entry);
    expect(read.status).toBe(503);
    expect(bodyOf<ProblemDto>(read).code).toBe('SERVICE_UNAVAILABLE');
    expect(bodyOf<EntryDto>(await sut.http().get(`${API}/${plain}/entries/plain`)).value).toBe(
      'visible',
    );
    expect((await request(sut.target).get('/health/ready')).status).toBe(503);

    sut = await start(k1);
    expect((await request(sut.target).get('/health/ready')).status).toBe(200);
    expect(bodyOf<EntryDto>(await sut.http().get(entry)).value).toBe('kept');
  });

  it('reports a damaged data key as sealed but stays ready: every replica sees the same row', async () => {
    let sut = await start(k1);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
      await sut.http().put(`${API}/${id}/entries/k`).send({ value: 'v', valueType: 'STRING' });
      ids.push(id);
    }
    // Not the first data key of its master key, which readiness opens on every probe.
    const damaged = ids.sort()[1];
    const writer = new Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query(
        `UPDATE namespace_data_keys SET wrapped_key = set_byte(wrapped_key, 20, get_byte(wrapped_key, 20) # 1)
          WHERE namespace_id = $1`,
        [damaged],
      );
    } finally {
      await writer.end();
    }
    sut = await start(k1);
    expect((await request(sut.target).get('/health/ready')).body.details.crypto).toEqual({
      status: 'up',
    });
    expect((await sut.http().get(`${API}/${damaged}/entries/k`)).status).toBe(503);
    const ready = await request(sut.target).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.crypto).toEqual({
      status: 'sealed',
      missingMasterKeyIds: [],
      mismatchedMasterKeyIds: [],
      damagedDataKeys: 1,
    });
    expect(bodyOf<EntryDto>(await sut.http().get(`${API}/${ids[0]}/entries/k`)).value).toBe('v');
  });
});
