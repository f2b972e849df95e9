import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { ADMIN } from '../helpers/test-app.js';
import { launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { Sale } from '../../src/modules/sales/sale.model.js';
import { Session } from '../../src/db/session.model.js';
import { Purchase } from '../../src/modules/purchases/purchase.model.js';
import type { Role } from '../../src/shared/rights.js';

const PASSWORD = 'password-123';

describe('AdminJS back office in Chromium', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let supplierId: number;
  let saleId: number;
  const accounts: Partial<Record<Role, string>> = {};

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    const supplier = await app.http('POST', '/api/suppliers', { token: app.adminToken, body: { name: 'Paper Mill Ltd' } });
    assert.equal(supplier.status, 201, supplier.text);
    supplierId = supplier.body.id;
    const products = [
      { name: 'A4 Copy Paper', sku: 'PAP-A4', category: 'Paper', price: 6.5, costPrice: 3.2, stock: 40, supplierId: supplier.body.id },
      { name: 'Stapler Heavy Duty', sku: 'STA-HD', category: 'Office', price: 24, costPrice: 12, stock: 3, lowStockThreshold: 5 },
    ];
    for (const body of products) {
      const res = await app.http('POST', '/api/products', { token: app.adminToken, body });
      assert.equal(res.status, 201, res.text);
      productId ??= res.body.id;
    }
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId, quantity: 4 }] } });
    assert.equal(sale.status, 201, sale.text);
    saleId = sale.body.id;
    for (const role of ['manager', 'staff', 'viewer', 'customer'] as const) {
      const { user } = await app.userWithRole(role, { password: PASSWORD });
      accounts[role] = user.email;
    }
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function session(role: Role | 'bootstrap-admin') {
    const opened = await browser.newPage();
    const email = role === 'bootstrap-admin' ? ADMIN.email : accounts[role]!;
    await signIn(opened.page, app.url, email, role === 'bootstrap-admin' ? ADMIN.password : PASSWORD);
    return opened;
  }

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const navText = (page: Page) => page.locator('[data-css="sidebar"], nav, aside').first().innerText();
  const apiStatus = async (page: Page, path: string) => (await page.request.get(`${app.url}${path}`, { maxRedirects: 0 })).status();
  /** AdminJS answers a refused action with 200, no records and an error notice. */
  const refused = async (page: Page, path: string) => {
    const body = await (await page.request.get(`${app.url}${path}`)).json();
    return body.notice?.type === 'error' && !body.records?.length;
  };

  it('when the admin signs in, then the dashboard shows the figures, the chart and every group', async () => {
    const { page, errors, context } = await session('bootstrap-admin');
    await page.getByTestId('dashboard').waitFor();
    assert.match(await page.getByTestId('figure-sales').innerText(), /Sales this month[\s\S]*\$26\.00[\s\S]*1 sales · 4 units/);
    assert.match(await page.getByTestId('figure-products').innerText(), /2/);
    assert.ok((await page.locator('[data-testid="sales-chart"] rect').count()) >= 6);
    assert.match(await page.getByTestId('low-stock').innerText(), /Stapler Heavy Duty/);
    const nav = await navText(page);
    for (const group of ['Catalog', 'Stock', 'Sales', 'Purchasing', 'Storefront', 'Administration']) assert.ok(nav.includes(group), `${group} in navigation`);
    assert.match(await page.title(), /StockPilot/);
    assert.ok((await Session.count()) >= 1, 'the panel session is stored in the sessions table');
    await page.screenshot({ path: '/tmp/admin-dashboard.png', fullPage: true });
    assert.equal(await apiStatus(page, '/admin/api/resources/users/actions/list'), 200);
    const users = await (await page.request.get(`${app.url}/admin/api/resources/users/actions/list`)).text();
    assert.equal(/passwordHash|\$2[aby]\$|resetTokenHash|tokenVersion/.test(users), false, 'no secrets in the users list');
    // The low stapler's alert mail, in the read-only outbox (its body never shown).
    const outbox = await (await page.request.get(`${app.url}/admin/api/resources/mail_outbox/actions/list`)).json();
    const alertMail = outbox.records.find((r: { params: { subject: string } }) => r.params.subject.includes('Stapler Heavy Duty'));
    assert.ok(alertMail, 'the alert mail is listed');
    assert.equal(alertMail.params.kind, 'stock_alert');
    assert.equal('text' in alertMail.params, false, 'no mail body in the panel');
    noErrors(errors);
    await context.close();
  });

  it('when a customer or a wrong password signs in, then the login page stays and the failure is audit-logged', async () => {
    const { page, errors, context } = await session('customer');
    assert.match(page.url(), /\/admin\/login/);
    assert.equal(await apiStatus(page, '/admin/api/resources/products/actions/list'), 302);
    const failed = await AuditLog.count({ where: { action: 'auth.admin_login_failed' } });
    assert.ok(failed >= 1);
    noErrors(errors.filter((e) => !/status of 40[01]/.test(e)));
    await context.close();
  });

  it('when a viewer signs in, then everything is read-only and administration is hidden', async () => {
    const { page, errors, context } = await session('viewer');
    await page.getByTestId('dashboard').waitFor();
    assert.equal((await navText(page)).includes('Administration'), false);
    await page.goto(`${app.url}/admin/resources/products`);
    await page.getByText('A4 Copy Paper').first().waitFor();
    assert.equal(await page.getByTestId('action-new').count(), 0);
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/show`);
    await page.getByTestId('stock-ledger').waitFor();
    for (const action of ['edit', 'delete', 'adjustStock']) assert.equal(await page.getByTestId(`action-${action}`).count(), 0, action);
    assert.ok(await refused(page, '/admin/api/resources/users/actions/list'));
    assert.ok(await refused(page, '/admin/api/resources/audit_logs/actions/list'));
    assert.ok(await refused(page, '/admin/api/resources/mail_outbox/actions/list'));
    assert.ok(await refused(page, '/admin/api/resources/settings/actions/list'));
    assert.equal(await refused(page, '/admin/api/resources/products/actions/list'), false);
    noErrors(errors);
    await context.close();
  });

  it('when staff adjusts stock, then the notice, the new balance and the ledger row appear', async () => {
    const { page, errors, context } = await session('staff');
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/show`);
    await page.getByTestId('stock-ledger').waitFor();
    assert.equal(await page.getByTestId('action-delete').count(), 0, 'staff cannot delete');
    assert.equal(await page.getByTestId('action-edit').count(), 1);
    await page.getByTestId('action-adjustStock').click();
    await page.getByTestId('adjust-stock-form').waitFor();
    assert.equal(await page.getByTestId('current-stock').innerText(), '36');
    await page.fill('#delta', '5');
    await page.fill('#note', 'found a box in the back room');
    await page.screenshot({ path: '/tmp/admin-adjust-stock.png', fullPage: true });
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.getByTestId('notice-wrapper').getByText('Stock adjusted by +5').waitFor();
    await page.getByTestId('stock-ledger').waitFor();
    const ledger = await page.getByTestId('ledger-row').first().innerText();
    assert.match(ledger, /\+5\s+41\s+adjustment \(count\)[\s\S]*found a box/);
    await page.screenshot({ path: '/tmp/admin-product.png' });
    await page.getByTestId('stock-ledger').screenshot({ path: '/tmp/admin-product-ledger.png' });
    assert.equal((await Product.findByPk(productId))!.stock, 41);
    assert.equal(await AuditLog.count({ where: { action: 'stock.adjust', entityId: String(productId) } }), 1);
    noErrors(errors);
    await context.close();
  });

  it('when an adjustment would go below zero, then the error shows and nothing changes', async () => {
    const { page, errors, context } = await session('staff');
    const movementsBefore = await StockMovement.count({ where: { productId } });
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/adjustStock`);
    await page.getByTestId('adjust-stock-form').waitFor();
    await page.fill('#delta', '-1000');
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.getByTestId('notice-wrapper').getByText(/Insufficient stock for 'A4 Copy Paper'.*requested 1000, available 41/).waitFor();
    assert.match(page.url(), /adjustStock/);
    assert.equal((await Product.findByPk(productId))!.stock, 41);
    assert.equal(await StockMovement.count({ where: { productId } }), movementsBefore);
    noErrors(errors);
    await context.close();
  });

  it('when staff records a sale with line items, then the sale exists and stock went down', async () => {
    const { page, errors, context } = await session('staff');
    const before = await Sale.count();
    await page.goto(`${app.url}/admin/resources/sales/actions/recordSale`);
    await page.getByTestId('record-sale-form').waitFor();
    await page.getByTestId('sale-line').locator('input').first().fill('A4 Copy');
    // The product options load asynchronously: choose only once the matching one is listed.
    await page.getByText(/A4 Copy Paper \(PAP-A4\)/).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('sale-line').locator('input[type="number"]').fill('2');
    await page.fill('#customerName', 'Walk-in customer');
    await page.getByRole('button', { name: 'Record sale' }).click();
    await page.getByTestId('notice-wrapper').getByText(/Sale .* recorded: 1 line\(s\), total 13\.00/).waitFor();
    assert.equal(await Sale.count(), before + 1);
    assert.equal((await Product.findByPk(productId))!.stock, 39);
    noErrors(errors);
    await context.close();
  });

  it('when a manager exports the filtered product list, then the CSV holds only the matching rows', async () => {
    const { page, errors, context } = await session('manager');
    assert.equal((await navText(page)).includes('Administration'), false);
    await page.goto(`${app.url}/admin/resources/products?filters.name=Stapler`);
    await page.getByText('Stapler Heavy Duty').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('action-exportCsv').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split('\r\n');
    assert.match(header, /^"image","sku","name",.*,"stock",/);
    assert.equal(rows.length, 1);
    assert.match(rows[0], /"STA-HD","Stapler Heavy Duty"/);
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/show`);
    await page.getByTestId('stock-ledger').waitFor();
    assert.equal(await page.getByTestId('action-delete').count(), 1, 'a manager may delete');
    noErrors(errors);
    await context.close();
  });

  it('when a manager downloads an invoice, then it is the PDF of that sale', async () => {
    const { page, errors, context } = await session('manager');
    const sale = (await Sale.findByPk(saleId))!;
    await page.goto(`${app.url}/admin/resources/sales/records/${saleId}/show`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('action-downloadInvoice').click()]);
    assert.equal(download.suggestedFilename(), `${sale.invoiceNumber}.pdf`);
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const rest = await app.http('GET', `/api/sales/${saleId}/invoice.pdf`, { token: app.adminToken });
    assert.equal(rest.status, 200);
    noErrors(errors);
    await context.close();
  });

  it('when staff receives part of a purchase and a manager cancels another, then stock and statuses follow', async () => {
    const order = async () => {
      const res = await app.http('POST', '/api/purchases', { token: app.adminToken, body: { supplierId, items: [{ productId, quantity: 10, unitCost: 3 }] } });
      assert.equal(res.status, 201, res.text);
      return res.body.id as number;
    };
    const [first, second] = [await order(), await order()];
    const stockBefore = (await Product.findByPk(productId))!.stock;

    const staff = await session('staff');
    await staff.page.goto(`${app.url}/admin/resources/purchases/records/${first}/receivePurchase`);
    await staff.page.getByTestId('receive-form').locator('input[type="number"]').fill('4');
    await staff.page.getByRole('button', { name: 'Receive stock' }).click();
    await staff.page.getByTestId('notice-wrapper').getByText('Received 4 unit(s); purchase is now partially received').waitFor();
    assert.equal((await Product.findByPk(productId))!.stock, stockBefore + 4);
    assert.equal(await staff.page.getByTestId('action-cancelPurchase').count(), 0, 'staff cannot cancel');
    noErrors(staff.errors);
    await staff.context.close();

    const manager = await session('manager');
    await manager.page.goto(`${app.url}/admin/resources/purchases/records/${second}/show`);
    await manager.page.getByTestId('action-cancelPurchase').click();
    await manager.page.getByRole('button', { name: /confirm/i }).click();
    await manager.page.getByTestId('notice-wrapper').getByText(/cancelled/).waitFor();
    assert.equal((await Purchase.findByPk(second))!.status, 'cancelled');
    noErrors(manager.errors);
    await manager.context.close();
  });
});
