import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');

// A program written against the built package, as its users write it: each marked line must
// be a type error, and the rest must compile.
const USAGE = `
import { createKvClient } from './dist';

const kv = createKvClient('http://127.0.0.1:3000', 'token');

export async function usage(nsId: string): Promise<number | undefined> {
  const path = { nsId, key: 'config/database/host' };
  await kv.PUT('/api/v1/kv/{nsId}/entries/{key}', {
    params: { path },
    body: { value: 'db.internal.example', valueType: 'STRING' },
  });
  await kv.PUT('/api/v1/kv/{nsId}/entries/{key}', {
    params: { path },
    body: {
      value: 'db.internal.example',
      // @ts-expect-error: valueType is one of STRING, NUMBER, BOOLEAN, JSON, BINARY
      valueType: 'STRNG',
    },
  });
  // @ts-expect-error: no such route
  await kv.GET('/api/v1/kv/no-such-route');
  const { data } = await kv.GET('/api/v1/kv/{nsId}/entries/{key}', { params: { path } });
  // @ts-expect-error: version is a number
  const wrong: string | undefined = data?.version;
  return wrong === undefined ? data?.version : undefined;
}
`;

/** The client as it ships: built with its own tsconfig, declarations included. */
describe('TypeScript client package', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-client-'));
    // The built package and its user resolve openapi-fetch as an installed dependency.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds with type declarations that reject a mistyped valueType', () => {
    const dist = join(dir, 'dist');
    execFileSync(TSC, ['-p', join(ROOT, 'clients/typescript/tsconfig.json'), '--outDir', dist]);
    expect(
      ['index.js', 'index.d.ts', 'schema.d.ts'].filter((f) => !existsSync(join(dist, f))),
    ).toEqual([]);
    writeFileSync(join(dir, 'usage.ts'), USAGE);
    const typeErrors = () => {
      try {
        execFileSync(TSC, [
          '--noEmit',
          '--strict',
          '--target',
          'ES2022',
          '--module',
          'commonjs',
          '--moduleResolution',
          'node',
          '--skipLibCheck',
          join(dir, 'usage.ts'),
        ]);
        return '';
      } catch (error) {
        return String((error as { stdout: Buffer }).stdout);
      }
    };
    expect(typeErrors()).toBe('');
  });
});
