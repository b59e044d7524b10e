import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../utils/chromium';
import { TestApp, createTestApp } from '../utils/create-test-app';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** The Swagger UI in a real headless Chromium (Debian's package; .ci/run installs it). */
describe('Swagger UI', () => {
  let sut: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    sut = await createTestApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sut.close();
  });

  it('lists the operations of the API', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${await sut.url()}/api/v1/kv/swagger-ui`);
    await page.waitForSelector('.opblock', { timeout: 30000 });
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    const normalized = paths.map((p) => p.replace(/\u200b/g, '').trim());
    expect(normalized).toEqual(
      expect.arrayContaining([
        '/api/v1/kv/namespaces',
        '/api/v1/kv/{nsId}/entries/{key}',
        '/api/v1/kv/{nsId}/entries/{key}/rotate',
        '/api/v1/kv/audit',
      ]),
    );
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(19);
    expect(await page.title()).toContain('Swagger');
    expect(errors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui.png'), fullPage: false });
  });
});
