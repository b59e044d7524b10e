import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, startService } from '../utils/service-process';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');

describe('npm start', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kv-npm-start-'));
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the existing build without compiling again when nothing changed', async () => {
    const built = statSync(MAIN).mtimeMs;
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // What `npm start` runs, less npm itself.
    const args = scripts.start.replace(/^node /, '').split(' ');
    service = await startService({ KV_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 120000, args);

    expect(statSync(MAIN).mtimeMs).toBe(built);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  });
});
