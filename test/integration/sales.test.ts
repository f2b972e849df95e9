import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, ledgerSum, makeProduct, pdfText, stockOf } from '../helpers/trade-fixtures.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';

describe('sales', () => {
  let app: TestApp;
  let staff: string;
  let viewer: string;
  let manager: string;
  let customer: string;
  const year = new Date().getUTCFullYear();

  before(async () => {
    app = await startTestApp();
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    manager = (await app.userWithRole('manager')).token;
    customer = (await app.userWithRole('customer')).token;
    const res = await app.http('PUT', '/api/settings', { token: app.adminToken, body: { taxRate: 8.25, companyName: 'Acme Office Supplies', invoicePrefix: 'INV' } });
    assert.equal(res.status, 200);
  });
  after(() => app.close());

  const sell = (body: unknown, token = staff) => app.http('POST', '/api/sales', { token, body });

  it('when 3 x 19.99 are sold, then money is exact in cents and the sale, its lines, the ledger and the invoice number are written', async () => {
    const pen = await makeProduct({ name: 'Gel Pen Blue', price: 19.99, stock: 10 });
    const res = await sell({ items: [{ productId: pen.id, quantity: 3 }], customerName: 'Jane Doe', customerEmail: 'Jane@Example.com' });
    assert.equal(res.status, 201, res.text);
    const sale = res.body;
    assert.equal(sale.subtotal, 59.97);
    assert.equal(sale.discount, 0);
    assert.equal(sale.tax, 4.95); // 8.25% of 59.97 = 4.947525
    assert.equal(sale.total, 64.92);
    assert.equal(sale.status, 'completed');
    assert.equal(sale.customerEmail, 'jane@example.com');
    assert.match(sale.invoiceNumber, new RegExp(`^INV-${year}-\\d{6}$`));
    assert.deepEqual(sale.items, [{ productId: pen.id, productName: 'Gel Pen Blue', sku: pen.sku, quantity: 3, unitPrice: 19.99, lineTotal: 59.97 }]);
    assert.equal(await stockOf(pen.id), 7);
    assert.equal(await ledgerSum(pen.id), 7);
    const movement = await StockMovement.findOne({ where: { productId: pen.id, reason: 'sale' } });
    assert.equal(movement?.referenceType, 'sale');
    assert.equal(movement?.referenceId, sale.id);
    assert.equal(movement?.delta, -3);
    assert.equal(movement?.balanceAfter, 7);
    assert.ok(await AuditLog.findOne({ where: { action: 'sale.create', entityId: String(sale.id) } }));

    const again = await sell({ items: [{ productId: pen.id, quantity: 1 }] });
    const n = (s: string) => Number(s.split('-').pop());
    assert.equal(n(again.body.invoiceNumber), n(sale.invoiceNumber) + 1);
  });

  it('when a discount and custom unit prices are given, then tax applies to subtotal minus discount', async () => {
    const a = await makeProduct({ price: 19.99, stock: 10 });
    const b = await makeProduct({ price: 5, stock: 10 });
    const res = await sell({ items: [{ productId: a.id, quantity: 3 }, { productId: b.id, quantity: 2, unitPrice: 0.1 }], discount: 10 });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.subtotal, 60.17);
    assert.equal(res.body.discount, 10);
    assert.equal(res.body.tax, 4.14); // 8.25% of 50.17 = 4.139025
    assert.equal(res.body.total, 54.31);
    assert.equal(res.body.items[1].unitPrice, 0.1);
    assert.equal(res.body.items[1].lineTotal, 0.2);
  });

  it('when the discount exceeds the subtotal, then 400 and nothing is written', async () => {
    const p = await makeProduct({ price: 5, stock: 10 });
    const before = await count('sales');
    const res = await sell({ items: [{ productId: p.id, quantity: 1 }], discount: 5.01 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details[0].path, 'discount');
    assert.equal(await count('sales'), before);
    assert.equal(await stockOf(p.id), 10);
  });

  it('when one line of a multi-line sale is short, then 409 INSUFFICIENT_STOCK names the product and nothing is written', async () => {
    const plenty = await makeProduct({ stock: 50 });
    const scarce = await makeProduct({ name: 'Rare Widget', stock: 2 });
    const [sales, items, movements] = [await count('sales'), await count('sale_items'), await count('stock_movements')];
    const res = await sell({ items: [{ productId: plenty.id, quantity: 5 }, { productId: scarce.id, quantity: 3 }] });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'INSUFFICIENT_STOCK');
    assert.match(res.body.error.message, /Rare Widget/);
    assert.equal(await count('sales'), sales);
    assert.equal(await count('sale_items'), items);
    assert.equal(await count('stock_movements'), movements);
    assert.equal(await stockOf(plenty.id), 50);
    assert.equal(await stockOf(scarce.id), 2);
  });

  it('when a product is unknown or archived, then 400 BAD_REQUEST points at the line', async () => {
    const archived = await makeProduct({ stock: 5 });
    await Product.update({ archivedAt: new Date() }, { where: { id: archived.id } });
    const unknown = await sell({ items: [{ productId: 999999, quantity: 1 }] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'BAD_REQUEST');
    assert.equal(unknown.body.error.details[0].path, 'items.0.productId');
    const gone = await sell({ items: [{ productId: archived.id, quantity: 1 }] });
    assert.equal(gone.status, 400);
    assert.equal(await stockOf(archived.id), 5);
  });

  it('when the body is invalid, then 400 VALIDATION_FAILED', async () => {
    const p = await makeProduct({ stock: 5 });
    for (const body of [{ items: [] }, { items: [{ productId: p.id, quantity: 0 }] }, { items: [{ productId: p.id, quantity: 1.5 }] }, { items: [{ productId: p.id, quantity: 1, unitPrice: 1.234 }] }, { items: [{ productId: p.id, quantity: 1 }], customerEmail: 'nope' }]) {
      const res = await sell(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
  });

  it('when roles without the right call, then 401/403 as in the roles table', async () => {
    const p = await makeProduct({ stock: 5 });
    const body = { items: [{ productId: p.id, quantity: 1 }] };
    assert.equal((await app.http('POST', '/api/sales', { body })).status, 401);
    assert.equal((await sell(body, viewer)).status, 403);
    assert.equal((await sell(body, customer)).status, 403);
    assert.equal((await app.http('GET', '/api/sales', { token: customer })).status, 403);
    assert.equal((await app.http('GET', '/api/sales', { token: viewer })).status, 200);
    const sale = (await sell(body, manager)).body;
    assert.equal((await app.http('POST', `/api/sales/${sale.id}/cancel`, { token: staff })).status, 403);
    assert.equal((await app.http('POST', `/api/sales/${sale.id}/cancel`, { token: viewer })).status, 403);
  });

  it('when a sale is cancelled, then its stock comes back once and a second cancel answers 409', async () => {
    const p = await makeProduct({ stock: 10 });
    const sale = (await sell({ items: [{ productId: p.id, quantity: 4 }] })).body;
    assert.equal(await stockOf(p.id), 6);
    const res = await app.http('POST', `/api/sales/${sale.id}/cancel`, { token: manager });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'cancelled');
    assert.ok(res.body.cancelledAt);
    assert.equal(await stockOf(p.id), 10);
    assert.equal(await ledgerSum(p.id), 10);
    const movement = await StockMovement.findOne({ where: { productId: p.id, reason: 'sale_cancel' } });
    assert.equal(movement?.delta, 4);
    assert.equal(movement?.referenceId, sale.id);
    const again = await app.http('POST', `/api/sales/${sale.id}/cancel`, { token: manager });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'CONFLICT');
    assert.equal(await stockOf(p.id), 10);
    assert.ok(await AuditLog.findOne({ where: { action: 'sale.cancel', entityId: String(sale.id) } }));
    assert.equal((await app.http('POST', '/api/sales/999999/cancel', { token: manager })).status, 404);
  });

  it('when sales are listed, then filters, sorting and pagination follow the list conventions', async () => {
    const p = await makeProduct({ stock: 100, price: 2 });
    const other = await makeProduct({ stock: 100, price: 3 });
    const { user: seller, token: sellerToken } = await app.userWithRole('staff');
    const mine: { id: number }[] = [];
    for (const quantity of [1, 5, 3]) mine.push((await sell({ items: [{ productId: p.id, quantity }] }, sellerToken)).body);
    await sell({ items: [{ productId: other.id, quantity: 1 }] });
    await app.http('POST', `/api/sales/${mine[0].id}/cancel`, { token: manager });

    const byProduct = await app.http('GET', `/api/sales?productId=${p.id}&sort=-total`, { token: viewer });
    assert.equal(byProduct.status, 200);
    assert.equal(byProduct.body.total, 3);
    assert.deepEqual(byProduct.body.data.map((s: { total: number }) => s.total), [10.83, 6.5, 2.17]);
    assert.equal(byProduct.body.data[0].items[0].productId, p.id);

    const byUser = await app.http('GET', `/api/sales?userId=${seller.id}&status=completed&limit=1&page=2&sort=invoiceNumber`, { token: viewer });
    assert.equal(byUser.body.total, 2);
    assert.equal(byUser.body.page, 2);
    assert.equal(byUser.body.data.length, 1);
    assert.equal(byUser.body.data[0].id, mine[2].id);

    const cancelled = await app.http('GET', `/api/sales?status=cancelled`, { token: viewer });
    assert.ok(cancelled.body.data.some((s: { id: number }) => s.id === mine[0].id));

    const today = new Date().toISOString().slice(0, 10);
    const inRange = await app.http('GET', `/api/sales?productId=${p.id}&from=${today}&to=${today}`, { token: viewer });
    assert.equal(inRange.body.total, 3);
    const future = await app.http('GET', `/api/sales?from=2999-01-01`, { token: viewer });
    assert.equal(future.body.total, 0);

    assert.equal((await app.http('GET', '/api/sales?sort=price', { token: viewer })).status, 400);
    assert.equal((await app.http('GET', '/api/sales?from=yesterday', { token: viewer })).status, 400);
    const one = await app.http('GET', `/api/sales/${mine[1].id}`, { token: viewer });
    assert.equal(one.status, 200);
    assert.equal(one.body.items[0].quantity, 5);
    assert.equal((await app.http('GET', '/api/sales/999999', { token: viewer })).status, 404);
  });

  it('when an invoice is requested, then a PDF with the company, invoice number, lines and totals comes back', async () => {
    const p = await makeProduct({ name: 'Stapler Deluxe', price: 19.99, stock: 10 });
    const sale = (await sell({ items: [{ productId: p.id, quantity: 3 }], customerName: 'Bob Builder', discount: 1.5, notes: 'Paid in cash' })).body;
    const res = await app.http('GET', `/api/sales/${sale.id}/invoice.pdf`, { token: viewer });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/pdf/);
    assert.ok(res.text.startsWith('%PDF'));
    const text = pdfText(res.text);
    for (const expected of [sale.invoiceNumber, 'Acme Office Supplies', 'Stapler Deluxe', 'Bob Builder', '$59.97', '-$1.50', 'Tax (8.25%)', '$4.82', '$63.29']) {
      assert.ok(text.includes(expected), `invoice should show ${expected}`);
    }
    assert.equal((await app.http('GET', '/api/sales/999999/invoice.pdf', { token: viewer })).status, 404);
    assert.equal((await app.http('GET', `/api/sales/${sale.id}/invoice.pdf`, { token: customer })).status, 403);
  });

  it('when sales are exported, then CSV has a header and one row per line, and the PDF report is a PDF', async () => {
    const a = await makeProduct({ name: 'Export, "Quoted" Item', price: 1.1, stock: 10 });
    const b = await makeProduct({ price: 2.2, stock: 10 });
    const sale = (await sell({ items: [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 1 }], customerName: '=HYPERLINK("x")' })).body;
    const csv = await app.http('GET', `/api/sales/export?format=csv&productId=${a.id}`, { token: viewer });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    assert.match(lines[0], /^"invoiceNumber","date","status","customerName","location","sku","product","quantity","unitPrice","lineTotal"/);
    assert.equal(lines.length, 3);
    assert.ok(lines[1].includes(sale.invoiceNumber));
    assert.ok(lines[1].includes('"Export, ""Quoted"" Item"'));
    assert.ok(lines[2].includes(b.sku));
    assert.ok(lines[1].includes('"MAIN"'), 'the location sold from');
    assert.ok(lines[1].includes(`"'=HYPERLINK(""x"")"`), 'formula neutralised');
    assert.ok(lines[1].includes('"1.10","2.20"'), 'money with two decimals');

    const empty = await app.http('GET', '/api/sales/export?from=2999-01-01', { token: viewer });
    assert.equal(empty.status, 200);
    assert.equal(empty.text.trim().split(/\r?\n/).length, 1);

    const pdf = await app.http('GET', '/api/sales/export?format=pdf', { token: viewer });
    assert.equal(pdf.status, 200);
    assert.ok(pdf.text.startsWith('%PDF'));
    assert.ok(pdfText(pdf.text).includes(sale.invoiceNumber));
    assert.equal((await app.http('GET', '/api/sales/export?format=xml', { token: viewer })).status, 400);
    assert.equal((await app.http('GET', '/api/sales/export', { token: customer })).status, 403);
  });

  it('when the routes are documented, then every sales route is in the OpenAPI document', async () => {
    const doc = (await app.http('GET', '/api/openapi.json')).body;
    for (const path of ['/api/sales', '/api/sales/{id}', '/api/sales/{id}/cancel', '/api/sales/{id}/invoice.pdf', '/api/sales/export']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
  });
});
