import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, signIn, startPanelApp, usersWithRoles, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { Location } from '../../src/modules/locations/location.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { Transfer } from '../../src/modules/transfers/transfer.model.js';
import { StockCount } from '../../src/modules/stock-counts/stock-count.model.js';
import type { User } from '../../src/modules/users/user.model.js';

const PASSWORD = 'password-123';
type Json = Record<string, any>;

/** Locations, transfers and stock counts in the back office, through the same services as REST. */
describe('panel: locations, transfers and stock counts in Chromium', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let users: Record<'manager' | 'staff', User>;
  let main: Json;
  let shop: Json;
  let widget: number;
  let hammer: number;
  let nails: number;

  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await app.http(method, path, { token: app.adminToken, body });
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    return res.body as Json;
  };
  /** The product's stock as GET /api/products/:id/stock gives it: { total, inTransit, MAIN, SHOP, ... }. */
  const stockOf = async (productId: number): Promise<Record<string, number>> => {
    const stock = await ok('GET', `/api/products/${productId}/stock`);
    return { total: stock.total, inTransit: stock.inTransit, ...Object.fromEntries(stock.locations.map((l: Json) => [l.code, l.quantity])) };
  };

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    users = await usersWithRoles(app, ['manager', 'staff'] as const, PASSWORD);
    main = (await ok('GET', '/api/locations')).data.find((l: Json) => l.code === 'MAIN');
    shop = await ok('POST', '/api/locations', { name: 'High Street Shop', code: 'SHOP', type: 'store' }, 201);
    widget = (await ok('POST', '/api/products', { name: 'Widget', sku: 'WID-1', category: 'Parts', price: 10, costPrice: 4, stock: 20 }, 201)).id;
    hammer = (await ok('POST', '/api/products', { name: 'Claw Hammer', sku: 'HAM-1', category: 'Hardware', price: 15, costPrice: 7.5, stock: 30 }, 201)).id;
    nails = (await ok('POST', '/api/products', { name: 'Box of Nails', sku: 'NAI-1', category: 'Hardware', price: 3, costPrice: 1, stock: 50 }, 201)).id;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function session(role: 'manager' | 'staff') {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, users[role].email, PASSWORD);
    return opened;
  }
  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const notice = (page: Page, text: string | RegExp) => page.getByTestId('notice-wrapper').getByText(text).first().waitFor();
  /** Picks an option of the react-select inside `testId` by typing part of its label. */
  async function choose(page: Page, testId: string, typed: string) {
    const box = page.getByTestId(testId);
    await box.locator('input').first().fill(typed);
    await box.getByText(new RegExp(typed)).last().waitFor();
    await page.keyboard.press('Enter');
  }
  async function confirmAction(page: Page, action: string) {
    await page.getByTestId(`action-${action}`).click();
    await page.getByRole('button', { name: /confirm/i }).click();
  }
  async function productPage(page: Page, id: number) {
    await page.goto(`${app.url}/admin/resources/products/records/${id}/show`);
    await page.getByTestId('product-stock').waitFor();
  }

  it('when a manager creates a location, then it is stored through the service and staff are refused', async () => {
    const { page, errors, context } = await session('manager');
    await page.goto(`${app.url}/admin/resources/locations/actions/new`);
    await page.fill('[data-testid="property-edit-name"] input', 'Back Room');
    await page.fill('[data-testid="property-edit-code"] input', 'br');
    await page.getByTestId('button-save').click();
    await notice(page, 'Successfully created a new record');
    const created = (await Location.findOne({ where: { name: 'Back Room' } }))!;
    assert.equal(created.code, 'BR', 'the service upper-cases the code');
    assert.equal(created.isDefault, false);
    await page.goto(`${app.url}/admin/resources/locations/records/${main.id}/show`);
    await page.getByTestId('location-stock').waitFor();
    assert.match(await page.getByTestId('location-stock').innerText(), /WID-1[\s\S]*Widget[\s\S]*20/);
    // Archive = edit archivedAt; a location with history cannot be deleted (the service's 409 as the notice).
    const archive = await page.request.post(`${app.url}/admin/api/resources/locations/records/${created.id}/edit`, { multipart: { archivedAt: '2026-01-15T10:00:00.000Z' } });
    assert.equal((await archive.json()).notice?.type, 'success');
    assert.ok((await Location.findByPk(created.id))!.archivedAt);
    const removed = await page.request.post(`${app.url}/admin/api/resources/locations/records/${main.id}/delete`);
    assert.match((await removed.json()).notice?.message ?? '', /default location cannot be deleted/);
    const unarchive = await page.request.post(`${app.url}/admin/api/resources/locations/records/${created.id}/edit`, { multipart: { archivedAt: '' } });
    assert.equal((await unarchive.json()).notice?.type, 'success');
    assert.equal((await Location.findByPk(created.id))!.archivedAt, null);
    noErrors(errors);
    await context.close();

    const staff = await session('staff');
    await staff.page.goto(`${app.url}/admin/resources/locations`);
    await staff.page.getByText('High Street Shop').first().waitFor();
    assert.equal(await staff.page.getByTestId('action-new').count(), 0, 'no New button for staff');
    const refused = await staff.page.request.post(`${app.url}/admin/api/resources/locations/actions/new`, { multipart: { name: 'Cellar', code: 'CEL' } });
    assert.equal((await refused.json()).notice?.type, 'error');
    const edit = await staff.page.request.post(`${app.url}/admin/api/resources/locations/records/${shop.id}/edit`, { multipart: { name: 'Renamed' } });
    assert.equal((await edit.json()).notice?.type, 'error');
    assert.equal(await Location.count({ where: { code: 'CEL' } }), 0);
    assert.equal((await Location.findByPk(shop.id))!.name, 'High Street Shop');
    noErrors(staff.errors);
    await staff.context.close();
  });

  it('when staff adjusts stock at a chosen location, then only that location moves', async () => {
    const { page, errors, context } = await session('staff');
    await page.goto(`${app.url}/admin/resources/products/records/${widget}/adjustStock`);
    await page.getByTestId('adjust-stock-form').waitFor();
    await page.getByTestId('location-select').getByText(/MAIN/).waitFor();
    assert.match(await page.getByTestId('stock-here').innerText(), /20 at MAIN/, 'the default location is preselected');
    await choose(page, 'location-select', 'High Street');
    assert.match(await page.getByTestId('stock-here').innerText(), /0 at SHOP/);
    await page.fill('#delta', '5');
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await notice(page, /Stock adjusted by \+5/);
    await page.getByTestId('product-stock').waitFor();
    assert.equal(await page.getByTestId('stock-at-SHOP').innerText(), '5');
    assert.equal(await page.getByTestId('stock-at-MAIN').innerText(), '20');
    assert.deepEqual(await stockOf(widget), { total: 25, inTransit: 0, MAIN: 20, SHOP: 5, BR: 0 });
    const row = (await StockMovement.findOne({ where: { productId: widget, reason: 'adjustment' }, order: [['id', 'DESC']] }))!;
    assert.equal(row.locationId, shop.id);
    assert.equal(row.balanceAfter, 5);
    noErrors(errors);
    await context.close();
  });

  it('when staff creates a transfer from a product, ships and receives it in two parts, then stock by location follows', async () => {
    const { page, errors, context } = await session('staff');
    await productPage(page, widget);
    await page.getByTestId('action-transferStock').click();
    await page.getByTestId('transfer-form').waitFor();
    await page.getByTestId('transfer-form-line').getByText(/Widget \(WID-1\)/).waitFor();
    await choose(page, 'transfer-to', 'High Street');
    await page.getByTestId('transfer-form-line').locator('input[type="number"]').fill('6');
    await page.fill('#reference', 'TR-PANEL-1');
    await page.getByRole('button', { name: 'Create transfer' }).click();
    await notice(page, /Transfer #\d+ drafted: 6 unit\(s\) MAIN → SHOP/);
    const transfer = (await Transfer.findOne({ where: { reference: 'TR-PANEL-1' } }))!;
    assert.equal(transfer.status, 'draft');
    assert.equal(transfer.userId, users.staff.id);
    await page.getByTestId('transfer-lines').waitFor();
    assert.match(page.url(), new RegExp(`/transfers/records/${transfer.id}/show`));
    assert.equal(await page.getByTestId('action-receiveTransfer').count(), 0, 'a draft cannot be received');
    assert.equal(await page.getByTestId('action-cancelTransfer').count(), 0, 'staff cannot cancel');

    await confirmAction(page, 'shipTransfer');
    await notice(page, /shipped: 6 unit\(s\) left MAIN/);
    assert.deepEqual(await stockOf(widget), { total: 19, inTransit: 6, MAIN: 14, SHOP: 5, BR: 0 });
    await productPage(page, widget);
    assert.equal(await page.getByTestId('stock-at-MAIN').innerText(), '14');
    assert.equal(await page.getByTestId('stock-in-transit').innerText(), '6');

    await page.goto(`${app.url}/admin/resources/transfers/records/${transfer.id}/show`);
    await page.getByTestId('transfer-lines').waitFor();
    assert.equal(await page.getByTestId('action-shipTransfer').count(), 0, 'shipped once');
    await page.getByTestId('action-receiveTransfer').click();
    await page.getByTestId('receive-transfer-form').waitFor();
    const quantity = page.getByTestId('receive-transfer-line').locator('input');
    assert.equal(await quantity.inputValue(), '6', 'prefilled with what is in transit');
    await quantity.fill('2');
    await page.getByRole('button', { name: 'Receive stock' }).click();
    await notice(page, /Received 2 unit\(s\) at SHOP; transfer is now partially received/);
    assert.deepEqual(await stockOf(widget), { total: 21, inTransit: 4, MAIN: 14, SHOP: 7, BR: 0 });

    await page.getByTestId('action-receiveTransfer').click();
    await page.getByTestId('receive-transfer-form').waitFor();
    assert.equal(await quantity.inputValue(), '4');
    assert.equal(await quantity.getAttribute('max'), '4', 'no more than is in transit');
    await page.getByRole('button', { name: 'Receive stock' }).click();
    await notice(page, /Received 4 unit\(s\) at SHOP; transfer is now received/);
    assert.deepEqual(await stockOf(widget), { total: 25, inTransit: 0, MAIN: 14, SHOP: 11, BR: 0 });
    await productPage(page, widget);
    assert.equal(await page.getByTestId('stock-at-SHOP').innerText(), '11');
    assert.equal(await page.getByTestId('stock-in-transit').innerText(), '0');
    noErrors(errors);
    await context.close();
  });

  it('when a transfer is short or cancelled, then the panel shows the 409 and a manager cancel puts the goods back', async () => {
    const short = await ok('POST', '/api/transfers', { fromLocationId: shop.id, toLocationId: main.id, items: [{ productId: widget, quantity: 500 }] }, 201);
    const shipped = await ok('POST', '/api/transfers', { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: widget, quantity: 3 }] }, 201);
    await ok('POST', `/api/transfers/${shipped.id}/ship`);
    const { page, errors, context } = await session('manager');
    await page.goto(`${app.url}/admin/resources/transfers/records/${short.id}/show`);
    await page.getByTestId('transfer-lines').waitFor();
    await confirmAction(page, 'shipTransfer');
    await notice(page, /Insufficient stock/);
    assert.equal((await Transfer.findByPk(short.id))!.status, 'draft');

    await page.goto(`${app.url}/admin/resources/transfers/records/${shipped.id}/show`);
    await page.getByTestId('transfer-lines').waitFor();
    await confirmAction(page, 'cancelTransfer');
    await notice(page, /cancelled; 3 unit\(s\) in transit went back to MAIN/);
    assert.equal((await Transfer.findByPk(shipped.id))!.status, 'cancelled');
    assert.deepEqual(await stockOf(widget), { total: 25, inTransit: 0, MAIN: 14, SHOP: 11, BR: 0 });
    await page.goto(`${app.url}/admin/resources/transfers/records/${shipped.id}/show`);
    await page.getByTestId('transfer-lines').waitFor();
    for (const action of ['shipTransfer', 'receiveTransfer', 'cancelTransfer']) assert.equal(await page.getByTestId(`action-${action}`).count(), 0, action);

    // The New transfer form of the Transfers list: the same location twice is the service's 400.
    await page.goto(`${app.url}/admin/resources/transfers/actions/newTransfer`);
    await page.getByTestId('transfer-form').waitFor();
    await page.getByTestId('transfer-from').getByText(/MAIN/).waitFor();
    await choose(page, 'transfer-to', 'Main');
    await page.getByTestId('transfer-form-line').locator('input').first().fill('Widget');
    await page.getByTestId('transfer-form-line').getByText(/Widget \(WID-1\)/).last().waitFor();
    await page.keyboard.press('Enter');
    const before = await Transfer.count();
    await page.getByRole('button', { name: 'Create transfer' }).click();
    await notice(page, /two different locations/);
    assert.equal(await Transfer.count(), before);
    noErrors(errors);
    await context.close();
  });

  it('when staff enter a blind count and a manager posts it, then only the real variance reaches the ledger', async () => {
    const staff = await session('staff');
    const { page } = staff;
    await page.goto(`${app.url}/admin/resources/stock_counts/actions/newCount`);
    await page.getByTestId('new-count-form').waitFor();
    await page.getByTestId('location-select').getByText(/MAIN/).waitFor();
    await choose(page, 'count-category', 'Hardware');
    await page.locator('label[for="blind"]').click();
    await page.getByRole('button', { name: 'Start count' }).click();
    await notice(page, /Count #\d+ opened at MAIN: 2 product\(s\) to count/);
    await page.getByTestId('count-entry').waitFor();
    const count = (await StockCount.findOne({ order: [['id', 'DESC']] }))!;
    assert.equal(count.blind, true);
    assert.equal(count.category, 'Hardware');
    assert.match(await page.getByTestId('count-progress').innerText(), /0 of 2 counted/);
    assert.equal((await page.getByTestId('count-entry').innerText()).includes('Expected'), false, 'a blind count hides expected quantities from staff');

    // Trade goes on during the count: three hammers are sold before they are counted.
    await ok('POST', '/api/sales', { items: [{ productId: hammer, quantity: 3 }] }, 201);
    const inputs = page.getByTestId('count-input');
    // Lines are by product name: Box of Nails, then Claw Hammer.
    await inputs.nth(0).click();
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    assert.equal(await inputs.nth(1).evaluate((el) => el === document.activeElement), true, 'Enter moves to the next line');
    await page.keyboard.type('25');
    assert.match(await page.getByTestId('count-progress').innerText(), /2 of 2 counted · 2 unsaved/);
    await page.getByRole('button', { name: 'Save counts' }).click();
    await notice(page, /Saved 2 line\(s\): 2 of 2 counted/);
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await notice(page, /Count #\d+ submitted for review/);
    await page.getByTestId('count-lines').waitFor();
    assert.equal((await StockCount.findByPk(count.id))!.status, 'review');
    assert.equal(await page.getByTestId('action-reviewCount').count(), 0, 'staff cannot post');
    assert.equal(await page.getByTestId('action-cancelCount').count(), 0, 'staff cannot cancel');
    noErrors(staff.errors);
    await staff.context.close();

    const { page: mpage, errors, context } = await session('manager');
    await mpage.goto(`${app.url}/admin/resources/stock_counts/records/${count.id}/show`);
    await mpage.getByTestId('count-lines').waitFor();
    await mpage.getByTestId('action-reviewCount').click();
    await mpage.getByTestId('count-review').waitFor();
    assert.match(await mpage.getByTestId('count-review-totals').innerText(), /2 of 2 counted · 1 variance\(s\) · -2 unit\(s\), -15\.00 at cost/);
    const rows = mpage.getByTestId('variance-row');
    assert.equal(await rows.count(), 1, 'the sale during the count is no variance');
    assert.match(await rows.first().innerText(), /Claw Hammer \(HAM-1\)\s+30\s+-3\s+25\s+-2\s+-15\.00/);
    await mpage.screenshot({ path: '/tmp/admin-count-review.png', fullPage: true });
    await mpage.getByRole('button', { name: 'Post count' }).click();
    await notice(mpage, /Count #\d+ posted: 1 product\(s\) adjusted, -2 unit\(s\), -15\.00 at cost/);
    assert.equal((await StockCount.findByPk(count.id))!.status, 'posted');
    assert.equal((await Product.findByPk(hammer))!.stock, 25);
    assert.equal((await Product.findByPk(nails))!.stock, 50);
    const ledger = await StockMovement.findAll({ where: { reason: 'count', referenceType: 'stock_count', referenceId: count.id } });
    assert.deepEqual(ledger.map((m) => [m.productId, m.locationId, m.delta, m.balanceAfter]), [[hammer, main.id, -2, 25]]);
    await mpage.goto(`${app.url}/admin/resources/products/records/${hammer}/show`);
    await mpage.getByTestId('stock-ledger').waitFor();
    assert.match(await mpage.getByTestId('ledger-row').first().innerText(), /-2\s+25\s+count\s+stock_count #\d+/);
    for (const action of ['reviewCount', 'cancelCount', 'enterCounts']) {
      await mpage.goto(`${app.url}/admin/resources/stock_counts/records/${count.id}/show`);
      await mpage.getByTestId('count-lines').waitFor();
      assert.equal(await mpage.getByTestId(`action-${action}`).count(), 0, `${action} hidden once posted`);
    }
    noErrors(errors);
    await context.close();
  });

  it('when a manager opens an open count, then the entry list filters by category, shows expected quantities and the count can be cancelled', async () => {
    const { page, errors, context } = await session('manager');
    await page.goto(`${app.url}/admin/resources/stock_counts/actions/newCount`);
    await page.getByTestId('new-count-form').waitFor();
    await page.getByTestId('location-select').getByText(/MAIN/).waitFor();
    await page.getByRole('button', { name: 'Start count' }).click();
    await notice(page, /opened at MAIN: 3 product\(s\) to count/);
    await page.getByTestId('count-entry').waitFor();
    assert.equal(await page.getByTestId('count-entry-line').count(), 3);
    assert.match(await page.getByTestId('count-entry').innerText(), /Expected/);
    await choose(page, 'count-filter', 'Parts');
    assert.equal(await page.getByTestId('count-entry-line').count(), 1);
    assert.match(await page.getByTestId('count-entry-line').innerText(), /WID-1\s+Widget\s+Parts\s+14/);
    await page.getByTestId('count-input').fill('14');
    assert.match(await page.getByTestId('count-progress').innerText(), /1 of 3 counted/);
    await page.screenshot({ path: '/tmp/admin-count-entry.png', fullPage: true });
    await page.getByRole('button', { name: 'Save counts' }).click();
    await notice(page, /Saved 1 line\(s\): 1 of 3 counted/);
    const count = (await StockCount.findOne({ order: [['id', 'DESC']] }))!;
    await page.goto(`${app.url}/admin/resources/stock_counts/records/${count.id}/show`);
    await page.getByTestId('count-lines').waitFor();
    await confirmAction(page, 'cancelCount');
    await notice(page, /cancelled; nothing was posted/);
    assert.equal((await StockCount.findByPk(count.id))!.status, 'cancelled');
    assert.equal(await StockMovement.count({ where: { referenceType: 'stock_count', referenceId: count.id } }), 0);
    noErrors(errors);
    await context.close();
  });

  it('when staff record a sale and receive a purchase at a chosen location, then the stock moves there', async () => {
    const supplier = await ok('POST', '/api/suppliers', { name: 'Parts Depot' }, 201);
    const purchase = await ok('POST', '/api/purchases', { supplierId: supplier.id, items: [{ productId: widget, quantity: 10, unitCost: 4 }] }, 201);
    const before = await stockOf(widget);
    const { page, errors, context } = await session('staff');
    await page.goto(`${app.url}/admin/resources/sales/actions/recordSale`);
    await page.getByTestId('record-sale-form').waitFor();
    await page.getByTestId('location-select').getByText(/MAIN/).waitFor();
    await choose(page, 'location-select', 'High Street');
    await page.getByTestId('sale-line').locator('input').first().fill('Widget');
    await page.getByTestId('sale-line').getByText(/Widget \(WID-1\)/).last().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('sale-line').locator('input[type="number"]').fill('3');
    await page.getByRole('button', { name: 'Record sale' }).click();
    await notice(page, /Sale .* recorded: 1 line\(s\)/);

    await page.goto(`${app.url}/admin/resources/purchases/records/${purchase.id}/receivePurchase`);
    await page.getByTestId('receive-form').waitFor();
    await page.getByTestId('location-select').getByText(/MAIN/).waitFor();
    await choose(page, 'location-select', 'High Street');
    await page.getByTestId('receive-form').locator('input[type="number"]').fill('10');
    await page.getByRole('button', { name: 'Receive stock' }).click();
    await notice(page, /Received 10 unit\(s\); purchase is now received/);
    assert.deepEqual(await stockOf(widget), { ...before, total: before.total + 7, SHOP: before.SHOP + 7 });
    noErrors(errors);
    await context.close();
  });
});
