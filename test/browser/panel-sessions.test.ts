import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN } from '../helpers/test-app.js';
import { launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { Session } from '../../src/db/session.model.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';

/** AUTH_RATE_LIMIT for this app: failed sign-ins per address in 15 minutes. */
const LIMIT = 3;
const LOCKED = 'Too many failed sign-ins from your address. Please wait 15 minutes before trying again.';

describe('panel sign-in limits and database sessions', () => {
  let app: PanelApp;
  let browser: TestBrowser;

  before(async () => {
    app = await startPanelApp({ AUTH_RATE_LIMIT: String(LIMIT) });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  /** A browser behind a proxy on the loopback: the app (trust proxy: loopback) sees `address` as the caller. */
  async function from(address: string) {
    const opened = await browser.newPage();
    await opened.context.setExtraHTTPHeaders({ 'X-Forwarded-For': address });
    return opened;
  }
  const loginMessage = (page: Page) => page.locator('form').first().innerText();

  it(`when an address fails to sign in ${LIMIT} times, then even the right password is refused with a clear message, and only there`, async () => {
    const { page, errors, context } = await from('203.0.113.7');
    for (let attempt = 1; attempt <= LIMIT; attempt += 1) {
      await signIn(page, app.url, ADMIN.email, `wrong-password-${attempt}`);
      assert.match(await loginMessage(page), /Wrong email and\/or password/, `attempt ${attempt}`);
    }
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    assert.match(page.url(), /\/admin\/login$/);
    assert.ok((await loginMessage(page)).includes(LOCKED), await loginMessage(page));
    assert.equal(await AuditLog.count({ where: { action: 'auth.admin_login_failed', ip: '203.0.113.7' } }), LIMIT);
    // @adminjs/express answers a sign-in refused by an error (the lock) with status 400, which Chromium logs.
    noErrors(errors.filter((e) => !/status of 400 .*\/admin\/login/.test(e)));
    await context.close();

    const elsewhere = await from('198.51.100.20');
    await signIn(elsewhere.page, app.url, ADMIN.email, ADMIN.password);
    await elsewhere.page.getByTestId('dashboard').waitFor();
    noErrors(elsewhere.errors);
    await elsewhere.context.close();
  });

  it('when the app restarts on the same database, then a signed-in browser is still signed in', async () => {
    const { page, errors, context } = await browser.newPage();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.getByTestId('dashboard').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'stockpilot.sid');
    assert.ok(cookie, 'the panel cookie is set');
    const stored = await Session.count();
    assert.ok(stored >= 1, 'the session is a database row');

    await app.restart();
    assert.equal(await Session.count(), stored, 'the sessions survived the restart');
    await page.goto(`${app.url}/admin/resources/products`);
    await page.getByText('List').first().waitFor();
    assert.doesNotMatch(page.url(), /login/);
    await page.goto(`${app.url}/admin`);
    await page.getByTestId('dashboard').waitFor();
    assert.match(await page.locator('body').innerText(), /admin@test\.local/);
    noErrors(errors);
    await context.close();
  });
});
