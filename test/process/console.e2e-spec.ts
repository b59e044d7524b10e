import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import {
  ConsolePage,
  openConsolePage,
  screenshot,
  seriousAxeViolations,
  signIn,
} from '../utils/console-browser';
import { launchChromium } from '../utils/chromium';
import { expectEventually } from '../utils/expect-eventually';
import { Entry, ServiceClient } from '../utils/service-client';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { serviceEnv } from '../utils/test-env';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';

interface Namespace {
  id: string;
  name: string;
  applicationId: string;
}
interface AuditRow {
  action: string;
  userId: string | null;
  keyPath: string | null;
  success: boolean;
}

/** The built service the console is served by, and tokens it accepts. */
interface Backend {
  url: string;
  tokens: Tokens;
  service?: ServiceProcess;
  stop: () => Promise<void>;
}

/** The embedded project's global setup started it (test/utils/embedded.global-setup.ts). */
function embedded(): Promise<Backend> {
  const dataDir = process.env.KV_EMBEDDED_DATA_DIR ?? '';
  const secret = readFileSync(join(dataDir, 'auth-secret'), 'utf8').trim();
  return Promise.resolve({
    url: process.env.KV_TEST_BASE_URL ?? '',
    tokens: new Tokens(secret),
    stop: () => Promise.resolve(),
  });
}

async function postgres(): Promise<Backend> {
  const database = new TestDatabase('console');
  await database.create();
  const env = serviceEnv(database.url);
  const service = await startService({ ...env, LOG_LEVEL: 'info' });
  return {
    url: service.url,
    tokens: new Tokens(env.AUTH_JWT_SECRET),
    service,
    stop: async () => {
      await service.stop();
      await database.drop();
    },
  };
}

describe.each([
  ['the embedded database', embedded],
  ['PostgreSQL', postgres],
])('The web console on %s, in Chromium', (label, start) => {
  const slug = label === 'PostgreSQL' ? 'postgres' : 'embedded';
  // The embedded database runs the flows that touch every kind of request once (sign-in,
  // entries, secrets, live changes); PostgreSQL runs them all. The suite stays near a minute.
  const everywhere = it;
  const onPostgres = label === 'PostgreSQL' ? it : it.skip;
  let backend: Backend;
  let browser: Browser;
  let admin: ServiceClient;
  let adminToken: string;
  let open: ConsolePage[] = [];

  beforeAll(async () => {
    [backend, browser] = await Promise.all([start(), launchChromium()]);
    adminToken = await backend.tokens.mint({ sub: 'ada' });
    admin = new ServiceClient(backend.url, adminToken);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  afterEach(async () => {
    for (const console of open) {
      // Every flow ends without script errors or Content-Security-Policy violations.
      expect(console.problems).toEqual([]);
      await console.context.close();
    }
    open = [];
  });

  async function consolePage(token = adminToken): Promise<Page> {
    const opened = await openConsolePage(browser, backend.url);
    open.push(opened);
    await signIn(opened.page, token);
    return opened.page;
  }

  async function namespace(body: Record<string, unknown> = {}): Promise<Namespace> {
    const reply = await admin.send<Namespace>('POST', `${API}/namespaces`, {
      name: `ns-${randomUUID().slice(0, 8)}`,
      applicationId: `app-${randomUUID().slice(0, 8)}`,
      ...body,
    });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function put(
    client: ServiceClient,
    ns: Namespace,
    key: string,
    body: Record<string, unknown>,
  ) {
    const reply = await client.send<Entry>(
      'PUT',
      `${API}/${ns.id}/entries/${encodeURIComponent(key)}`,
      body,
    );
    expect([200, 201]).toContain(reply.status);
    return reply.body;
  }

  async function entry(ns: Namespace, key: string): Promise<Entry> {
    const reply = await admin.send<Entry>(
      'GET',
      `${API}/${ns.id}/entries/${encodeURIComponent(key)}`,
    );
    expect(reply.status).toBe(200);
    return reply.body;
  }

  async function audit(query: Record<string, string>): Promise<AuditRow[]> {
    const reply = await admin.send<{ items: AuditRow[] }>(
      'GET',
      `${API}/audit?${new URLSearchParams(query).toString()}`,
    );
    expect(reply.status).toBe(200);
    return reply.body.items;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  function openEntry(page: Page, ns: Namespace, key: string) {
    return page.goto(`${backend.url}/console/#/ns/${ns.id}?key=${encodeURIComponent(key)}`);
  }

  everywhere(
    'is served with a strict Content-Security-Policy, and signs in with a pasted token only',
    async () => {
      const response = await fetch(`${backend.url}/console/`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(
        (await fetch(`${backend.url}/console`, { redirect: 'manual' })).headers.get('location'),
      ).toBe('/console/');

      const opened = await openConsolePage(browser, backend.url);
      open.push(opened);
      const { page } = opened;
      await expectAccessible(page);
      await screenshot(page, `${slug}-sign-in`);
      await page.getByLabel('Bearer token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'not a JWT' }).waitFor();
      const forged = await new Tokens('x'.repeat(40)).mint({ sub: 'mallory' });
      await page.getByLabel('Bearer token').fill(forged);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'refused' }).waitFor();

      const reader = await backend.tokens.only(
        [KvPermission.NamespaceRead],
        ['payments', 'billing'],
        'rita',
      );
      await signIn(page, reader);
      await page.getByRole('link', { name: 'rita' }).click();
      const whoAmI = page.getByRole('region', { name: 'Signed in as rita' });
      await whoAmI.waitFor();
      expect(await whoAmI.innerText()).toMatch(/payments, billing[\s\S]*kv-namespace:read/);
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Namespaces' })
        .click();
      // What the token does not allow is greyed out.
      expect(await page.getByRole('button', { name: 'New namespace' }).isDisabled()).toBe(true);
      await screenshot(page, `${slug}-read-only`);
      expect(page.url()).not.toContain(reader);
      // The tests' TypeScript has no DOM types: the page's expressions are strings.
      expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 1]);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Bearer token').waitFor();
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
    },
  );

  onPostgres(
    'goes back to the sign-in when the service refuses the token of the session',
    async () => {
      const page = await consolePage();
      // As an expired token would be: the tab's token is replaced by one the service refuses.
      const forged = await new Tokens('y'.repeat(40)).mint({ sub: 'ada' });
      await page.evaluate(`sessionStorage.setItem('kv-console.token', ${JSON.stringify(forged)})`);
      await page.reload();
      await page
        .getByRole('alert')
        .filter({ hasText: 'The service no longer accepts your token' })
        .waitFor();
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
      await signIn(page, adminToken);
    },
  );

  onPostgres(
    'creates, filters, edits and deletes namespaces, deletion confirmed by typing the name',
    async () => {
      const page = await consolePage();
      const applicationId = `app-${randomUUID().slice(0, 8)}`;
      await namespace({ applicationId: `${applicationId}-other`, name: 'elsewhere' });
      // Keyboard only: Enter opens the dialog with focus inside it, Escape closes it.
      await page.getByRole('button', { name: 'New namespace' }).focus();
      await page.keyboard.press('Enter');
      const create = page.getByRole('dialog', { name: 'New namespace' });
      await create.waitFor();
      expect(await page.evaluate("document.activeElement.closest('dialog') !== null")).toBe(true);
      await page.keyboard.press('Escape');
      await create.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'New namespace' }).click();
      await create.getByLabel('Name', { exact: true }).fill('payments-prod');
      await create.getByLabel('Application', { exact: true }).fill(applicationId);
      await create.getByLabel('Description', { exact: true }).fill('Payment secrets');
      await create.getByLabel(/Default TTL/).fill('3600');
      await create.getByLabel(/Secret namespace/).check();
      await expectAccessible(page);
      await screenshot(page, `${slug}-namespace-create`);
      await create.getByRole('button', { name: 'Create' }).click();
      await create.waitFor({ state: 'hidden' });

      await page.getByLabel('Application').fill(applicationId);
      await page.getByRole('button', { name: 'Filter' }).click();
      await expectEventually(async () =>
        expect(await page.locator('tbody th').allInnerTexts()).toEqual(['payments-prod']),
      );
      const listed = await admin.send<{ items: Record<string, unknown>[] }>(
        'GET',
        `${API}/namespaces?applicationId=${applicationId}`,
      );
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          name: 'payments-prod',
          description: 'Payment secrets',
          isSecretNamespace: true,
          defaultTtlSeconds: 3600,
        }),
      ]);
      const id = listed.body.items[0].id as string;

      await page.getByRole('button', { name: 'Edit payments-prod' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit payments-prod' });
      expect(await edit.getByLabel(/Secret namespace/).isDisabled()).toBe(true);
      await edit.getByLabel('Description', { exact: true }).fill('Rotated monthly');
      await edit.getByLabel(/Default TTL/).fill('');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'hidden' });
      await page.getByRole('cell', { name: 'Rotated monthly' }).waitFor();
      expect((await admin.send('GET', `${API}/namespaces/${id}`)).body).toMatchObject({
        description: 'Rotated monthly',
        defaultTtlSeconds: null,
      });
      await screenshot(page, `${slug}-namespaces`);

      await page.getByRole('button', { name: 'Delete payments-prod' }).click();
      const remove = page.getByRole('dialog', { name: 'Delete payments-prod' });
      const confirm = remove.getByRole('button', { name: 'Delete namespace' });
      expect(await confirm.isDisabled()).toBe(true);
      await remove.getByLabel(/Type the namespace's name/).fill('payments-pro');
      expect(await confirm.isDisabled()).toBe(true);
      await remove.getByLabel(/Type the namespace's name/).fill('payments-prod');
      await expectAccessible(page);
      await confirm.click();
      await remove.waitFor({ state: 'hidden' });
      await page.getByText(`No namespaces of ${applicationId}.`).waitFor();
      expect((await admin.send('GET', `${API}/namespaces/${id}`)).status).toBe(404);
    },
  );

  everywhere(
    'creates entries of every type in a tree of folders, and edits one with a diff',
    async () => {
      const ns = await namespace();
      const page = await consolePage();
      await page.goto(`${backend.url}/console/#/ns/${ns.id}`);
      await page.getByText('No keys.').waitFor();
      const created: [
        string,
        string,
        (form: ReturnType<Page['getByRole']>) => Promise<void>,
        unknown,
      ][] = [
        [
          'app/db/host',
          'STRING',
          (form) => form.getByLabel('Value', { exact: true }).fill('db.internal'),
          'db.internal',
        ],
        [
          'app/db/port',
          'NUMBER',
          (form) => form.getByLabel('Value', { exact: true }).fill('5432'),
          5432,
        ],
        [
          'app/flags/beta',
          'BOOLEAN',
          (form) =>
            form
              .getByLabel('Value', { exact: true })
              .selectOption('false')
              .then(() => undefined),
          false,
        ],
        [
          'app/pool',
          'JSON',
          async (form) => {
            const value = form.getByLabel('Value', { exact: true });
            await value.fill('{"max": 10,');
            await form
              .getByText(/Invalid JSON/)
              .first()
              .waitFor();
            expect(await form.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
            expect(await value.getAttribute('aria-invalid')).toBe('true');
            await value.fill('{"max": 10, "idle": [1, 2]}');
          },
          { max: 10, idle: [1, 2] },
        ],
        [
          'certs/ca',
          'BINARY',
          async (form) => {
            await form.getByLabel('Value', { exact: true }).fill('aGVsbG8=!');
            await form
              .getByText(/Standard base64/)
              .first()
              .waitFor();
            await form.getByLabel('Value', { exact: true }).fill('aGVsbG8=');
            await form.getByLabel('Expires after').check();
            await form.getByLabel('Seconds until expiry').fill('600');
            await form.getByLabel(/Metadata/).fill('{"owner": "ops"}');
          },
          'aGVsbG8=',
        ],
      ];
      for (const [key, type, fill, value] of created) {
        await page.getByRole('button', { name: 'New entry' }).click();
        const form = page.getByRole('form', { name: 'New entry' });
        await form.getByLabel('Key').fill(key);
        await form.getByLabel('Type').selectOption(type);
        await fill(form);
        await form.getByRole('button', { name: 'Create' }).click();
        await page.getByRole('heading', { name: key }).waitFor();
        expect(await entry(ns, key)).toMatchObject({ valueType: type, value, version: 1 });
      }
      expect((await entry(ns, 'certs/ca')).metadata).toEqual({ owner: 'ops' });
      await page.getByText(/\(in 9m \d+s\)|\(in 10m\b/).waitFor();

      // The folders of the keys opened meanwhile are open.
      const tree = page.getByRole('navigation', { name: 'Keys' });
      expect(await tree.getByRole('button').allInnerTexts()).toEqual([
        '▾ app/',
        '▾ db/',
        '▾ flags/',
        '▾ certs/',
      ]);
      await tree.getByRole('button', { name: 'flags/' }).click();
      expect(await tree.getByRole('link', { name: 'beta' }).count()).toBe(0);
      await tree.getByRole('link', { name: 'port' }).click();
      await page.getByRole('heading', { name: 'app/db/port' }).waitFor();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const form = page.getByRole('form', { name: 'Edit app/db/port' });
      await form.getByLabel('Value', { exact: true }).fill('6432');
      await form.getByRole('figure').filter({ hasText: 'your change' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, `${slug}-entry-edit`);
      await form.getByRole('button', { name: 'Save over version 1' }).click();
      await page.getByRole('button', { name: 'Edit', exact: true }).waitFor();
      expect(await entry(ns, 'app/db/port')).toMatchObject({ value: 6432, version: 2 });
      await page.getByLabel('Key prefix').fill('app/f');
      await expectEventually(async () =>
        expect(await tree.getByRole('button').allInnerTexts()).toEqual(['▾ app/', '▸ flags/']),
      );
      await screenshot(page, `${slug}-entries`);
    },
  );

  everywhere(
    'masks a secret until Reveal, which is one audited read, and copies it without showing it',
    async () => {
      const ns = await namespace({ isSecretNamespace: true });
      await put(admin, ns, 'db/password', { value: 's3cr3t-value', valueType: 'STRING' });
      const page = await consolePage(
        await backend.tokens.mint({ sub: 'sam', applications: [ns.applicationId] }),
      );
      await openEntry(page, ns, 'db/password');
      await page.getByRole('heading', { name: 'db/password' }).waitFor();
      expect(await page.getByLabel('Secret value, hidden').innerText()).toBe('•••••');
      // Opening it listed the key (a READ row without a key), and read no value.
      const samReads = async () =>
        (await audit({ namespaceId: ns.id, action: 'READ', userId: 'sam' })).filter(
          (row) => row.keyPath === 'db/password',
        );
      expect(await samReads()).toEqual([]);

      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Copied to the clipboard.').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe('s3cr3t-value');
      expect(await page.content()).not.toContain('s3cr3t-value');
      await page.getByRole('button', { name: 'Reveal' }).click();
      expect(await page.getByLabel('Secret value', { exact: true }).innerText()).toBe(
        's3cr3t-value',
      );
      await expectEventually(async () =>
        expect(await samReads()).toEqual([
          expect.objectContaining({ keyPath: 'db/password', success: true }),
          expect.objectContaining({ keyPath: 'db/password', success: true }),
        ]),
      );
      await expectAccessible(page);
      await screenshot(page, `${slug}-secret-revealed`);

      // Hidden again once the user navigates away and back.
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Namespaces' })
        .click();
      await page.goBack();
      await page.getByLabel('Secret value, hidden').waitFor();
      expect(await page.content()).not.toContain('s3cr3t-value');

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Namespace').selectOption(ns.id);
      await page.getByLabel('Action').selectOption('READ');
      await page.getByLabel('Key', { exact: true }).fill('db/password');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expectEventually(async () =>
        expect(await page.locator('table.audit tbody tr').allInnerTexts()).toEqual([
          expect.stringMatching(/READ\s+success \(200\)\s+sam\s+\S+\s+db\/password/),
          expect.stringMatching(/READ\s+success \(200\)\s+sam\s+\S+\s+db\/password/),
        ]),
      );
      await screenshot(page, `${slug}-secret-audit`);
    },
  );

  onPostgres(
    'shows a stale edit as a conflict beside the newer version, and saves it over that version',
    async () => {
      const ns = await namespace();
      await put(admin, ns, 'feature/limit', { value: 'one', valueType: 'STRING' });
      const bob = new ServiceClient(backend.url, await backend.tokens.mint({ sub: 'bob' }));
      const page = await consolePage();
      await openEntry(page, ns, 'feature/limit');
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const form = page.getByRole('form', { name: 'Edit feature/limit' });
      await form.getByLabel('Value', { exact: true }).fill('mine');
      await put(bob, ns, 'feature/limit', { value: 'theirs', valueType: 'STRING' });
      await form.getByRole('button', { name: 'Save over version 1' }).click();

      const conflict = page.getByRole('region', { name: /Conflict: version 2 was saved/ });
      await conflict.waitFor();
      expect(await conflict.innerText()).toMatch(
        /Version 2[\s\S]*theirs[\s\S]*Your change[\s\S]*mine/,
      );
      expect(await conflict.getByRole('figure').innerText()).toMatch(/- theirs[\s\S]*\+ mine/);
      expect(await entry(ns, 'feature/limit')).toMatchObject({ value: 'theirs', version: 2 });
      await expectAccessible(page);
      await screenshot(page, `${slug}-conflict`);
      await conflict.getByRole('button', { name: 'Save my change over version 2' }).click();
      await conflict.waitFor({ state: 'hidden' });
      expect(await entry(ns, 'feature/limit')).toMatchObject({ value: 'mine', version: 3 });
    },
  );

  onPostgres(
    'lists the versions of a secret with who, why and when, and rolls back after confirmation',
    async () => {
      const ns = await namespace({ isSecretNamespace: true });
      const bob = new ServiceClient(backend.url, await backend.tokens.mint({ sub: 'bob' }));
      await put(admin, ns, 'api/key', { value: 'first', valueType: 'STRING' });
      await put(bob, ns, 'api/key', { value: 'second', valueType: 'STRING' });
      const page = await consolePage();
      await openEntry(page, ns, 'api/key');
      await page.getByRole('button', { name: 'Show history' }).click();
      const history = page.getByRole('region', { name: 'History' });
      await expectEventually(async () =>
        expect(await history.locator('tbody tr').allInnerTexts()).toEqual([
          expect.stringMatching(/^2\s+update\s+bob\s+.+current$/),
          expect.stringMatching(/^1\s+create\s+ada\s+.+Roll back$/),
        ]),
      );
      await history.getByRole('button', { name: 'Roll back to version 1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Roll back api/key' });
      expect(await dialog.innerText()).toContain('becomes current as version 3');
      await expectAccessible(page);
      await screenshot(page, `${slug}-rollback-confirm`);
      await dialog.getByRole('button', { name: 'Roll back to version 1' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expectEventually(async () =>
        expect(await history.locator('tbody tr').first().innerText()).toMatch(
          /^3\s+rollback\s+ada/,
        ),
      );
      expect(await entry(ns, 'api/key')).toMatchObject({ value: 'first', version: 3 });
      await screenshot(page, `${slug}-history`);
    },
  );

  onPostgres('filters the audit log and draws reads, writes and failures over time', async () => {
    const ns = await namespace();
    await put(admin, ns, 'a', { value: 1, valueType: 'NUMBER' });
    await put(admin, ns, 'b', { value: 2, valueType: 'NUMBER' });
    expect((await admin.send('GET', `${API}/${ns.id}/entries/missing`)).status).toBe(404);
    await entry(ns, 'a');
    const page = await consolePage(
      await backend.tokens.mint({ sub: 'auditor', applications: [ns.applicationId] }),
    );
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Namespace').selectOption(ns.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const chart = page.getByRole('img', { name: /Activity chart/ });
    // The namespace's creation is a write too.
    await expectEventually(async () =>
      expect(await chart.getAttribute('aria-label')).toMatch(/1 reads, 3 writes, 1 failures/),
    );
    expect(await chart.locator('canvas').count()).toBe(1);
    await page.getByLabel('Action').selectOption('WRITE');
    await page.getByLabel('Outcome').selectOption('true');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectEventually(async () =>
      expect(await page.locator('table.audit tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(/WRITE\s+success \(20[01]\)\s+ada\s+\S+\s+b$/),
        expect.stringMatching(/WRITE\s+success \(20[01]\)\s+ada\s+\S+\s+a$/),
      ]),
    );
    await expectEventually(async () =>
      expect(await chart.getAttribute('aria-label')).toMatch(/0 reads, 2 writes, 0 failures/),
    );
    await page.getByLabel('Outcome').selectOption('false');
    await page.getByLabel('Action').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectEventually(async () =>
      expect(await page.locator('table.audit tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(/READ\s+failure \(404\)\s+ada\s+\S+\s+missing/),
      ]),
    );
    await expectAccessible(page);
    await screenshot(page, `${slug}-audit`);
  });

  everywhere(
    'follows the watch feed: a change through the API shows within seconds, saying who made it',
    async () => {
      const ns = await namespace();
      await put(admin, ns, 'svc/a', { value: 'before', valueType: 'STRING' });
      const bob = new ServiceClient(backend.url, await backend.tokens.mint({ sub: 'bob' }));
      const page = await consolePage();
      const watches: { url: string; authorization: string | undefined }[] = [];
      const cut: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/changes')) {
          watches.push({ url: request.url(), authorization: request.headers().authorization });
        }
      });
      page.on('requestfailed', (request) => {
        if (request.url().includes('/changes')) {
          cut.push(request.url());
        }
      });
      await openEntry(page, ns, 'svc/a');
      await page.getByText('Watching for changes.').waitFor();
      await expectEventually(() => expect(watches.length).toBeGreaterThan(0));
      await put(bob, ns, 'svc/b', { value: 'new', valueType: 'STRING' });
      await put(bob, ns, 'svc/a', { value: 'after', valueType: 'STRING' });
      // A long-poll answers as the change commits: no polling interval to wait out.
      await page
        .getByRole('status')
        .filter({ hasText: /svc\/a updated by bob at/ })
        .waitFor({ timeout: 3000 });
      await page.getByLabel('Value', { exact: true }).filter({ hasText: 'after' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Keys' })
        .getByRole('link', { name: 'b' })
        .waitFor();
      await screenshot(page, `${slug}-live`);

      // Each read resumes after the revision answered before; the token is in the header only.
      for (const watch of watches) {
        expect(watch.url).not.toContain(adminToken);
        expect(watch.authorization).toBe(`Bearer ${adminToken}`);
      }
      const since = watches.map((watch) => new URL(watch.url).searchParams.get('sinceRevision'));
      expect(since[0]).toMatch(/^\d+$/);
      expect(since.slice(1).every((value) => value !== null && /^\d+$/.test(value))).toBe(true);
      const rows = await audit({ namespaceId: ns.id, userId: 'ada', action: 'WATCH' });
      expect(rows.length).toBeGreaterThan(0);

      // Leaving the namespace cuts the long-poll in flight.
      await page.getByRole('link', { name: 'Namespaces' }).first().click();
      await expectEventually(() => expect(cut).toHaveLength(1));
      // So does signing out.
      const before = watches.length;
      await openEntry(page, ns, 'svc/a');
      await expectEventually(() => expect(watches.length).toBeGreaterThan(before));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Bearer token').waitFor();
      await expectEventually(() => expect(cut).toHaveLength(2));
    },
  );

  everywhere(
    'imports a picked .env file after showing its dry-run plan, and exports the namespace',
    async () => {
      const ns = await namespace();
      await put(admin, ns, 'DATABASE_HOST', { value: 'old.internal', valueType: 'STRING' });
      await put(admin, ns, 'KEEP', { value: 'same', valueType: 'STRING' });
      await put(admin, ns, 'STALE', { value: 'x', valueType: 'STRING' });
      const page = await consolePage();
      await page.goto(`${backend.url}/console/#/ns/${ns.id}`);
      await page.getByRole('button', { name: 'Import' }).click();
      const dialog = page.getByRole('dialog', { name: `Import into ${ns.name}` });
      await dialog.getByLabel(/^File/).setInputFiles({
        name: 'prod.env',
        mimeType: 'text/plain',
        buffer: Buffer.from('DATABASE_HOST=db.internal\nDATABASE_PORT=5432\nKEEP=same\n'),
      });
      expect(await dialog.getByLabel('Format').inputValue()).toBe('dotenv');
      expect(await dialog.getByLabel(/^Document/).inputValue()).toContain('DATABASE_PORT=5432');
      await dialog.getByLabel(/^Prune/).check();
      await dialog.getByRole('button', { name: 'Preview plan' }).click();
      const plan = dialog.getByRole('region', { name: /^Plan \(dry run/ });
      await plan.waitFor();
      expect(await plan.getByRole('list', { name: 'Created keys' }).innerText()).toMatch(
        /^DATABASE_PORT version 1$/,
      );
      expect(await plan.getByRole('list', { name: 'Updated keys' }).innerText()).toMatch(
        /^DATABASE_HOST version 1 → 2$/,
      );
      expect(await plan.getByRole('list', { name: 'Unchanged keys' }).innerText()).toMatch(
        /^KEEP version 1$/,
      );
      expect(await plan.getByRole('list', { name: 'Deleted keys' }).innerText()).toMatch(
        /^STALE version 1$/,
      );
      // The dry run changed nothing.
      expect(await entry(ns, 'DATABASE_HOST')).toMatchObject({ value: 'old.internal', version: 1 });
      await expectAccessible(page);
      await screenshot(page, `${slug}-import-plan`);

      await dialog.getByRole('button', { name: 'Apply import' }).click();
      await dialog.getByRole('region', { name: 'Imported' }).waitFor();
      expect(await entry(ns, 'DATABASE_HOST')).toMatchObject({ value: 'db.internal', version: 2 });
      expect(await entry(ns, 'DATABASE_PORT')).toMatchObject({
        value: '5432',
        valueType: 'STRING',
        version: 1,
      });
      expect((await admin.send('GET', `${API}/${ns.id}/entries/STALE`)).status).toBe(404);
      await screenshot(page, `${slug}-import-applied`);
      await dialog.getByRole('button', { name: 'Close' }).click();
      const tree = page.getByRole('navigation', { name: 'Keys' });
      await tree.getByRole('link', { name: 'DATABASE_PORT' }).waitFor();
      expect(await tree.getByRole('link', { name: 'STALE' }).count()).toBe(0);

      // A document that does not parse: the problem's code and the item it names.
      await page.getByRole('button', { name: 'Import' }).click();
      await dialog.getByLabel(/^Document/).fill('{"a": {"b": null}}');
      await dialog.getByLabel('Format').selectOption('json');
      await dialog.getByRole('button', { name: 'Preview plan' }).click();
      const refused = dialog.getByRole('alert');
      await refused.filter({ hasText: /^VALIDATION_FAILED: / }).waitFor();
      expect(await refused.getByRole('listitem').allInnerTexts()).toEqual([
        expect.stringMatching(/^a\/b \(item 0\): /),
      ]);
      expect(await dialog.getByRole('button', { name: 'Apply import' }).count()).toBe(0);
      await expectAccessible(page);
      await screenshot(page, `${slug}-import-refused`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('button', { name: 'Export' }).click();
      const exporting = page.getByRole('dialog', { name: `Export ${ns.name}` });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        exporting.getByRole('button', { name: 'Download' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${ns.name}.env`);
      expect(readFileSync(await download.path(), 'utf8')).toBe(
        'DATABASE_HOST=db.internal\nDATABASE_PORT=5432\nKEEP=same\n',
      );
      await exporting.getByLabel('Format').selectOption('yaml');
      const [yaml] = await Promise.all([
        page.waitForEvent('download'),
        exporting.getByRole('button', { name: 'Download' }).click(),
      ]);
      expect(yaml.suggestedFilename()).toBe(`${ns.name}.yaml`);
      expect(readFileSync(await yaml.path(), 'utf8')).toContain('DATABASE_HOST: db.internal');

      // Two keys that become one dotenv name: 409 EXPORT_CONFLICT, said plainly.
      await put(admin, ns, 'database/host', { value: 'x', valueType: 'STRING' });
      await exporting.getByLabel('Format').selectOption('dotenv');
      await exporting.getByRole('button', { name: 'Download' }).click();
      await exporting
        .getByRole('alert')
        .filter({ hasText: /^EXPORT_CONFLICT: .*DATABASE_HOST/ })
        .waitFor();
      await expectAccessible(page);
      await screenshot(page, `${slug}-export-conflict`);
    },
  );

  everywhere(
    'shows a change committed after the listing was read and before the first poll of the feed',
    async () => {
      const ns = await namespace();
      const written = await admin.send(
        'PUT',
        `${API}/${ns.id}/entries/${encodeURIComponent('svc/a')}`,
        { value: 'before', valueType: 'STRING' },
      );
      expect(written.status).toBe(201);
      const listedRevision = written.headers.get('x-kv-revision');
      expect(listedRevision).toMatch(/^\d+$/);
      const bob = new ServiceClient(backend.url, await backend.tokens.mint({ sub: 'bob' }));
      const page = await consolePage();
      const keys = page.getByRole('navigation', { name: 'Keys' });
      const polls: (string | null)[] = [];
      await page.route(
        (url) => url.pathname.endsWith('/changes'),
        async (route) => {
          polls.push(new URL(route.request().url()).searchParams.get('sinceRevision'));
          if (polls.length === 1) {
            // The listing is on screen; this change commits before the first poll reaches the
            // service, so a feed started "from now on" would never report it.
            await keys.getByRole('button', { name: /svc\// }).waitFor();
            await put(bob, ns, 'svc/between', { value: 'new', valueType: 'STRING' });
          }
          await route.continue();
        },
      );
      await page.goto(`${backend.url}/console/#/ns/${ns.id}`);
      await page
        .getByRole('status')
        .filter({ hasText: /svc\/between created by bob at/ })
        .waitFor({ timeout: 5000 });
      await keys.getByRole('button', { name: /svc\// }).click();
      await keys.getByRole('link', { name: 'between' }).waitFor();
      expect(polls[0]).toBe(listedRevision);
    },
  );

  onPostgres('greys out import and export without the permissions they need', async () => {
    const ns = await namespace();
    const page = await consolePage(
      await backend.tokens.only([KvPermission.NamespaceRead], [ns.applicationId], 'rita'),
    );
    await page.goto(`${backend.url}/console/#/ns/${ns.id}`);
    await page.getByText('Watching for changes.').waitFor();
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Export' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Import' }).getAttribute('title')).toBe(
      'Needs kv-entry:read and kv-entry:write',
    );
  });

  everywhere(
    "diffs two versions of a key; a secret's values only after Reveal, each an audited read",
    async () => {
      const ns = await namespace();
      const bob = new ServiceClient(backend.url, await backend.tokens.mint({ sub: 'bob' }));
      await put(admin, ns, 'app/pool', { value: { max: 10, idle: 2 }, valueType: 'JSON' });
      await put(bob, ns, 'app/pool', { value: { max: 20, idle: 2 }, valueType: 'JSON' });
      const page = await consolePage();
      await openEntry(page, ns, 'app/pool');
      await page.getByRole('button', { name: 'Show history' }).click();
      const history = page.getByRole('region', { name: 'History' });
      expect(await history.getByLabel('Compare version').inputValue()).toBe('1');
      expect(await history.getByLabel('with version').inputValue()).toBe('2');
      expect(await history.getByRole('button', { name: /Roll back/ }).count()).toBe(0);
      await history.getByRole('button', { name: 'Compare', exact: true }).click();
      const diff = history.getByRole('figure');
      await diff.waitFor();
      expect(await diff.locator('pre div').allInnerTexts()).toEqual([
        '  {',
        '-   "max": 10,',
        '+   "max": 20,',
        '    "idle": 2',
        '  }',
      ]);
      await expectAccessible(page);
      await screenshot(page, `${slug}-version-diff`);

      const vault = await namespace({ isSecretNamespace: true });
      await put(admin, vault, 'api/key', { value: 'first-secret', valueType: 'STRING' });
      await put(bob, vault, 'api/key', { value: 'second-secret', valueType: 'STRING' });
      await openEntry(page, vault, 'api/key');
      await page.getByRole('button', { name: 'Show history' }).click();
      await history.getByLabel('with version').waitFor();
      expect(await history.getByRole('figure').count()).toBe(0);
      expect(await page.content()).not.toContain('first-secret');
      await history.getByRole('button', { name: 'Reveal and compare' }).click();
      await diff.waitFor();
      expect(await diff.locator('pre div').allInnerTexts()).toEqual([
        '- first-secret',
        '+ second-secret',
      ]);
      const reads = await audit({ namespaceId: vault.id, keyPath: 'api/key', action: 'READ' });
      // Listing the versions, then the two values.
      expect(reads.filter((row) => row.userId === 'ada' && row.success)).toHaveLength(3);
      await screenshot(page, `${slug}-secret-diff`);
      await history.getByRole('button', { name: 'Hide' }).click();
      await diff.waitFor({ state: 'hidden' });
      expect(await page.content()).not.toContain('second-secret');
    },
  );
});

describe('KV_CONSOLE', () => {
  const database = new TestDatabase('console_flag');

  beforeAll(() => database.create());
  afterAll(() => database.drop());

  it('serves the console by default and prints its URL; KV_CONSOLE=false serves none', async () => {
    const env = { ...serviceEnv(database.url), LOG_LEVEL: 'info' };
    const on = await startService(env);
    try {
      expect(on.output()).toContain(`console at ${on.url}/console/`);
    } finally {
      await on.stop();
    }
    const off = await startService({ ...env, KV_CONSOLE: 'false' });
    try {
      expect(off.output()).toMatch(/KV Service listening on/);
      expect(off.output()).not.toContain('console at');
      const response = await fetch(`${off.url}/console/`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect((await fetch(`${off.url}/console`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
