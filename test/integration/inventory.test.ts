import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { daysAgo, makeProduct, makeSupplier, recordOrder, recordPurchase, recordSale } from '../helpers/reporting-fixtures.js';
import type { Product } from '../../src/modules/products/product.model.js';

describe('inventory reports', () => {
  let app: TestApp;
  let viewer: string;
  let customer: string;
  let e: Product, f: Product, g: Product, h: Product, archived: Product;
  let supplierName: string;

  before(async () => {
    app = await startTestApp();
    viewer = (await app.userWithRole('viewer')).token;
    const shopper = await app.userWithRole('customer');
    customer = shopper.token;
    const s1 = await makeSupplier('Northwind Parts', 10);
    const s2 = await makeSupplier('Quick Supply', 3);
    supplierName = s1.name;

    // E sells 6/day: 150 through 5 sales + 30 through a storefront order in the last 30 days; older and cancelled sales do not count.
    e = await makeProduct({ name: 'Router E', category: 'Electronics', price: 20, costPrice: 12.5, stock: 242, lowStockThreshold: 15, supplierId: s1.id });
    for (const days of [1, 5, 10, 15, 20]) await recordSale([{ productId: e.id, quantity: 30, unitPrice: 20 }], { at: daysAgo(days) });
    await recordOrder(shopper.user.id, [{ productId: e.id, quantity: 30, unitPrice: 20 }], { at: daysAgo(25) });
    await recordSale([{ productId: e.id, quantity: 50, unitPrice: 20 }], { at: daysAgo(45) });
    await recordPurchase(s1.id, [{ productId: e.id, quantity: 20, unitCost: 12.5, received: 20 }], { status: 'received', at: daysAgo(1) });
    await recordSale([{ productId: e.id, quantity: 20, unitPrice: 20 }], { at: daysAgo(3), cancelled: true });
    await recordOrder(shopper.user.id, [{ productId: e.id, quantity: 20, unitPrice: 20 }], { at: daysAgo(2), cancelled: true });
    await recordSale([{ productId: e.id, quantity: 20, unitPrice: 20 }], { at: daysAgo(40) });
    // 242 - 180 - 50 + 20 - 20 = 12 on hand

    // F sells 1/day; an open purchase has 2 of 20 still to come, a cancelled one counts for nothing.
    f = await makeProduct({ name: 'Cable F', category: 'Electronics', price: 9.99, costPrice: 4.33, stock: 14, supplierId: s2.id });
    await recordPurchase(s2.id, [{ productId: f.id, quantity: 20, unitCost: 4.33, received: 18 }], { status: 'partially_received', at: daysAgo(20) });
    await recordPurchase(s2.id, [{ productId: f.id, quantity: 100, unitCost: 4.33 }], { status: 'cancelled', at: daysAgo(5) });
    await recordSale([{ productId: f.id, quantity: 30, unitPrice: 9.99 }], { at: daysAgo(4) });

    g = await makeProduct({ name: 'Seeds G', category: 'Garden', price: 3.1, costPrice: 1.05, reorderQuantity: 25 });
    h = await makeProduct({ name: 'Pebble H', category: 'Garden', price: 0.1, costPrice: 0.07, stock: 100, lowStockThreshold: 5 });
    await recordSale([{ productId: h.id, quantity: 3, unitPrice: 0.1 }], { at: daysAgo(2) });
    await recordPurchase(null, [{ productId: h.id, quantity: 3, unitCost: 0.07, received: 3 }], { status: 'received', at: daysAgo(1) });
    archived = await makeProduct({ name: 'Old Archived', category: 'Garden', price: 50, costPrice: 40, reorderQuantity: 10, archived: true });
  });
  after(() => app.close());

  it('when the fixtures are in, then stocks are what the tests below assume', async () => {
    const res = await app.http('GET', '/api/inventory/low-stock?threshold=1000&limit=100', { token: app.adminToken });
    const stocks = Object.fromEntries(res.body.data.map((p: { name: string; stock: number }) => [p.name, p.stock]));
    assert.deepEqual(stocks, { 'Router E': 12, 'Cable F': 2, 'Seeds G': 0, 'Pebble H': 100 });
  });

  describe('GET /api/inventory/low-stock', () => {
    it('when no threshold is given, then active products at or below their own (or the default 10) threshold come back, fewest first', async () => {
      const res = await app.http('GET', '/api/inventory/low-stock', { token: viewer });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.data.map((p: { name: string; stock: number; threshold: number }) => [p.name, p.stock, p.threshold]),
        [
          ['Seeds G', 0, 10],
          ['Cable F', 2, 10],
          ['Router E', 12, 15],
        ],
      );
      assert.equal(res.body.total, 3);
      assert.equal(res.body.page, 1);
      assert.equal(res.body.limit, 20);
      assert.equal(res.body.data[2].supplier.name, supplierName);
      assert.equal(res.body.data.some((p: { id: number }) => p.id === archived.id), false);
    });

    it('when ?threshold=x is given, then it replaces every product threshold', async () => {
      const one = await app.http('GET', '/api/inventory/low-stock?threshold=1', { token: viewer });
      assert.deepEqual(one.body.data.map((p: { id: number }) => p.id), [g.id]);
      const hundred = await app.http('GET', '/api/inventory/low-stock?threshold=100', { token: viewer });
      assert.deepEqual(hundred.body.data.map((p: { id: number }) => p.id), [g.id, f.id, e.id, h.id]);
    });

    it('when the shop default threshold changes, then products without their own threshold follow it', async () => {
      const put = await app.http('PUT', '/api/settings', { token: app.adminToken, body: { lowStockThreshold: 1 } });
      assert.equal(put.status, 200);
      const res = await app.http('GET', '/api/inventory/low-stock', { token: viewer });
      assert.deepEqual(res.body.data.map((p: { id: number }) => p.id), [g.id, e.id]);
      await app.http('PUT', '/api/settings', { token: app.adminToken, body: { lowStockThreshold: 10 } });
    });

    it('when the threshold is not a non-negative integer, then 400', async () => {
      const res = await app.http('GET', '/api/inventory/low-stock?threshold=-2', { token: viewer });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/inventory/reorder-recommendations', () => {
    it('when products run short, then each comes with the numbers of the formula and a reason', async () => {
      const res = await app.http('GET', '/api/inventory/reorder-recommendations', { token: viewer });
      assert.equal(res.status, 200);
      const byName = Object.fromEntries(res.body.data.map((r: { name: string }) => [r.name, r]));
      assert.deepEqual(Object.keys(byName).sort(), ['Cable F', 'Router E', 'Seeds G']);
      assert.deepEqual(byName['Router E'], {
        productId: e.id,
        sku: e.sku,
        name: 'Router E',
        stock: 12,
        dailySalesRate: 6,
        daysOfCover: 2,
        leadTimeDays: 10,
        safetyStock: 30,
        reorderPoint: 90,
        onOrder: 0,
        recommendedQuantity: 258,
        supplierId: e.supplierId,
        supplierName,
        reason: byName['Router E'].reason,
      });
      assert.match(byName['Router E'].reason, /Sells 6\/day \(180 in 30 days\); 12 left covers 2 days, less than the 10-day supplier lead time plus 5 days safety stock/);
      assert.match(byName['Router E'].reason, /0 on order; order 258 to cover 30 days/);
      // F: rate 1, lead 3, safety ceil(1 x 2) = 2, reorder point 3 + 2 = 5; 2 on hand + 2 on order; 5 + 30 - 2 - 2 = 31.
      assert.equal(byName['Cable F'].onOrder, 2);
      assert.equal(byName['Cable F'].reorderPoint, 5);
      assert.equal(byName['Cable F'].recommendedQuantity, 31);
      assert.equal(byName['Seeds G'].dailySalesRate, 0);
      assert.equal(byName['Seeds G'].daysOfCover, null);
      assert.equal(byName['Seeds G'].leadTimeDays, 7);
      assert.equal(byName['Seeds G'].recommendedQuantity, 25);
      assert.equal(byName['Seeds G'].supplierId, null);
      assert.deepEqual(res.body.data.map((r: { name: string }) => r.name), ['Router E', 'Cable F', 'Seeds G']);
      assert.equal(res.body.total, 3);
      const second = await app.http('GET', '/api/inventory/reorder-recommendations?limit=2&page=2', { token: viewer });
      assert.deepEqual(second.body.data.map((r: { name: string }) => r.name), ['Seeds G']);
      assert.equal(second.body.total, 3);
    });
  });

  describe('GET /api/inventory/movements', () => {
    it('when filtered by product, then its ledger comes back newest first with the product', async () => {
      const res = await app.http('GET', `/api/inventory/movements?productId=${f.id}`, { token: viewer });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.data.map((m: { reason: string; delta: number; balanceAfter: number }) => [m.reason, m.delta, m.balanceAfter]),
        [
          ['sale', -30, 2],
          ['purchase', 18, 32],
          ['initial', 14, 14],
        ],
      );
      assert.deepEqual(res.body.data[0].product, { id: f.id, sku: f.sku, name: 'Cable F' });
      assert.equal(res.body.total, 3);
    });

    it('when filtered by reason and dates, then only matching rows of the whole ledger come back', async () => {
      const cancels = await app.http('GET', '/api/inventory/movements?reason=sale_cancel', { token: viewer });
      assert.equal(cancels.body.total, 1);
      assert.equal(cancels.body.data[0].productId, e.id);
      const from = daysAgo(3.5).toISOString();
      const recent = await app.http('GET', `/api/inventory/movements?reason=purchase&from=${encodeURIComponent(from)}&limit=100`, { token: viewer });
      assert.deepEqual(recent.body.data.map((m: { productId: number }) => m.productId).sort(), [e.id, h.id].sort());
      const to = daysAgo(30).toISOString().slice(0, 10);
      const old = await app.http('GET', `/api/inventory/movements?reason=sale&to=${to}`, { token: viewer });
      assert.deepEqual(old.body.data.map((m: { delta: number }) => m.delta), [-20, -50]);
    });

    it('when the whole ledger is paged, then pages do not overlap and the total counts every row', async () => {
      const first = await app.http('GET', '/api/inventory/movements?limit=5', { token: viewer });
      const second = await app.http('GET', '/api/inventory/movements?limit=5&page=2', { token: viewer });
      assert.equal(first.body.total, second.body.total);
      assert.equal(first.body.total, 20);
      const ids = [...first.body.data, ...second.body.data].map((m: { id: number }) => m.id);
      assert.equal(new Set(ids).size, 10);
      const times = first.body.data.map((m: { createdAt: string }) => Date.parse(m.createdAt));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
    });

    it('when the reason is unknown, then 400', async () => {
      const res = await app.http('GET', '/api/inventory/movements?reason=theft', { token: viewer });
      assert.equal(res.status, 400);
    });
  });

  describe('GET /api/inventory/valuation', () => {
    it('when asked, then stock is valued exactly at cost and at price, by category and in total', async () => {
      const res = await app.http('GET', '/api/inventory/valuation', { token: viewer });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        totals: { units: 114, costValue: 165.66, retailValue: 269.98 },
        byCategory: [
          { category: 'Electronics', units: 14, costValue: 158.66, retailValue: 259.98 },
          { category: 'Garden', units: 100, costValue: 7, retailValue: 10 },
        ],
      });
    });
  });

  describe('access', () => {
    const paths = ['/api/inventory/low-stock', '/api/inventory/reorder-recommendations', '/api/inventory/movements', '/api/inventory/valuation'];

    it('when a customer asks, then 403; without a token, then 401', async () => {
      for (const path of paths) {
        assert.equal((await app.http('GET', path, { token: customer })).status, 403, path);
        const anonymous = await app.http('GET', path);
        assert.equal(anonymous.status, 401, path);
        assert.equal(anonymous.body.error.code, 'UNAUTHENTICATED');
      }
    });

    it('when the OpenAPI document is read, then every inventory route is in it', async () => {
      const doc = await app.http('GET', '/api/openapi.json');
      for (const path of paths) assert.ok(doc.body.paths[path]?.get, path);
    });
  });
});
