import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN } from '../helpers/test-app.js';
import { createProduct, launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { Product } from '../../src/modules/products/product.model.js';

/** No product has this id: the suite creates one product. */
const NO_SUCH_ID = 999999;

describe('panel requests naming what the panel does not have', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let admin: { page: Page; context: BrowserContext; errors: string[] };

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    productId = await createProduct(app, { name: 'Glue Stick', sku: 'GLU-1', price: 1.5, stock: 10 });
    admin = await browser.newPage();
    await signIn(admin.page, app.url, ADMIN.email, ADMIN.password);
    await admin.page.getByTestId('dashboard').waitFor();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const call = async (page: Page, method: 'GET' | 'POST', path: string) => {
    const res = await page.request.fetch(`${app.url}${path}`, { method, maxRedirects: 0 });
    const json = (res.headers()['content-type'] ?? '').includes('application/json') ? await res.json() : undefined;
    return { status: res.status(), json, location: res.headers().location };
  };

  it('when a signed-in call to the panel API names an unknown resource, action, record or page, then it answers 404 JSON, and known ones still answer 200', async () => {
    const { page } = admin;
    assert.equal((await call(page, 'GET', '/admin/api/resources/products/actions/list')).status, 200);
    assert.equal((await call(page, 'GET', `/admin/api/resources/products/records/${productId}/show`)).status, 200);

    const unknown: Array<['GET' | 'POST', string, RegExp]> = [
      ['GET', '/admin/api/resources/Product/actions/list', /No resource "Product"/],
      ['GET', '/admin/api/resources/Product/search/glue', /No resource "Product"/],
      ['GET', `/admin/api/resources/Product/records/${productId}/show`, /No resource "Product"/],
      ['GET', '/admin/api/resources/products/actions/noSuchAction', /No resource action "noSuchAction" on products/],
      ['GET', '/admin/api/resources/products/actions/show', /No resource action "show"/],
      ['GET', `/admin/api/resources/products/records/${productId}/noSuchAction`, /No record action "noSuchAction"/],
      ['GET', `/admin/api/resources/products/records/${NO_SUCH_ID}/show`, new RegExp(`No record ${NO_SUCH_ID} in products`)],
      ['GET', '/admin/api/resources/products/records/not-a-number/show', /No record not-a-number in products/],
      ['POST', `/admin/api/resources/products/records/${NO_SUCH_ID}/delete`, /No record/],
      ['POST', `/admin/api/resources/products/bulk/bulkDelete?recordIds=${NO_SUCH_ID},${NO_SUCH_ID + 1}`, /None of the records/],
      ['GET', '/admin/api/resources/products/bulk/bulkDelete', /None of the records/],
      ['GET', '/admin/api/pages/noSuchPage', /No page "noSuchPage"/],
    ];
    const answers = [];
    for (const [method, path] of unknown) answers.push({ method, path, ...(await call(page, method, path)) });
    for (const [i, answer] of answers.entries()) {
      const where = `${answer.method} ${answer.path}`;
      assert.equal(answer.status, 404, where);
      assert.equal(answer.json?.error?.code, 'NOT_FOUND', where);
      assert.match(answer.json.error.message, unknown[i][2], where);
      assert.equal(answer.json.notice?.type, 'error', `${where}: the panel's client shows the notice`);
    }
    assert.equal(await Product.count(), 1, 'nothing was deleted');
  });

  it('when a signed-in admin opens a panel page for an unknown resource, action or record, then the panel shows its not-found view with status 404', async () => {
    const { page, errors } = admin;
    const known = await page.goto(`${app.url}/admin/resources/products`);
    assert.equal(known?.status(), 200);

    const pages: Array<[string, string]> = [
      ['/admin/resources/Product', 'NoResourceError'],
      ['/admin/resources/products/actions/noSuchAction', 'NoActionError'],
      // The record page fetches the record (404), then AdminJS shows its generic "not found" box.
      [`/admin/resources/products/records/${NO_SUCH_ID}/show`, 'NoActionError'],
    ];
    for (const [path, view] of pages) {
      const res = await page.goto(`${app.url}${path}`);
      assert.equal(res?.status(), 404, path);
      await page.getByTestId(view).waitFor();
      assert.ok(await page.locator('[data-css="sidebar"], nav, aside').first().isVisible(), `${path}: the panel around it`);
    }
    // Chromium reports the 404s, and AdminJS's client rethrows the failed fetch of the missing record.
    const unexpected = errors.filter((e) => !/status of 404/.test(e) && e !== 'pageerror: AxiosError');
    assert.deepEqual(unexpected, [], unexpected.join('\n'));

    const bulk = await call(page, 'GET', '/admin/resources/products/bulk/bulkDelete');
    assert.equal(bulk.status, 404, 'a bulk page without records has nothing to render: plain 404');
  });

  it('when nobody is signed in, then a request naming an unknown resource goes to the sign-in page like any other', async () => {
    const { page, context } = await browser.newPage();
    for (const path of ['/admin/api/resources/Product/actions/list', '/admin/api/resources/products/actions/list', `/admin/api/resources/products/records/${NO_SUCH_ID}/show`]) {
      const answer = await call(page, 'GET', path);
      assert.equal(answer.status, 302, path);
      assert.equal(answer.location, '/admin/login', path);
    }
    await context.close();
  });
});
