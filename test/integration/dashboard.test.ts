import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { daysAgo, makeProduct, makeSupplier, recordOrder, recordPurchase, recordSale } from '../helpers/reporting-fixtures.js';
import { dashboardStats } from '../../src/modules/analytics/dashboard.service.js';

const monthKey = (d: Date, offsetHours = 0) => new Date(d.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 7);

describe('GET /api/dashboard/stats', () => {
  let app: TestApp;
  let viewer: string;
  let customer: string;
  let a: { id: number };
  let b: { id: number };
  const fortyDaysAgo = daysAgo(40);

  before(async () => {
    app = await startTestApp();
    viewer = (await app.userWithRole('viewer')).token;
    const shopper = await app.userWithRole('customer');
    customer = shopper.token;
    const supplier = await makeSupplier('Acme', 5);
    a = await makeProduct({ name: 'Router A1', price: 19.99, costPrice: 10, stock: 100, lowStockThreshold: 5, supplierId: supplier.id });
    b = await makeProduct({ name: 'Cable B', price: 5.5, costPrice: 2.25, stock: 3 });
    await makeProduct({ name: 'Switch C', price: 100, costPrice: 60 });
    await makeProduct({ name: 'Archived D', price: 1, costPrice: 1, stock: 50, archived: true });

    await recordSale([{ productId: a.id, quantity: 3, unitPrice: 19.99 }], { taxRate: 8.25 });
    await recordSale([{ productId: b.id, quantity: 2, unitPrice: 5.5 }], { taxRate: 8.25 });
    await recordSale([{ productId: a.id, quantity: 5, unitPrice: 19.99 }], { cancelled: true });
    await recordOrder(shopper.user.id, [{ productId: a.id, quantity: 1, unitPrice: 19.99 }]);
    await recordOrder(shopper.user.id, [{ productId: b.id, quantity: 1, unitPrice: 5.5 }], { cancelled: true });
    await recordSale([{ productId: a.id, quantity: 4, unitPrice: 19.99 }], { at: fortyDaysAgo });
    await recordPurchase(supplier.id, [{ productId: a.id, quantity: 10, unitCost: 10 }], { status: 'ordered' });
    await recordPurchase(supplier.id, [{ productId: a.id, quantity: 5, unitCost: 9.5, received: 5 }], { status: 'received' });
    await recordPurchase(supplier.id, [{ productId: a.id, quantity: 7, unitCost: 10 }], { status: 'cancelled' });
  });
  after(() => app.close());

  it('when a viewer asks, then every figure matches the data, cancelled sales and orders left out', async () => {
    const res = await app.http('GET', '/api/dashboard/stats', { token: viewer });
    assert.equal(res.status, 200);
    const { monthlySales, stockByLocation, ...figures } = res.body;
    assert.deepEqual(
      stockByLocation.map((l: { code: string; units: number; value: number }) => [l.code, l.units, l.value]),
      [['MAIN', 98, 972.25]],
      'one location holds everything',
    );
    assert.deepEqual(figures, {
      totalProducts: 3,
      totalStockUnits: 98,
      stockValue: 972.25,
      inTransit: { units: 0, value: 0 },
      lowStockCount: 2,
      outOfStockCount: 1,
      // 64.92 (59.97 + 4.95 tax) + 11.91 (11.00 + 0.91 tax) + 19.99 (storefront order)
      salesThisMonth: { count: 3, revenue: 96.82, units: 6 },
      purchasesThisMonth: { count: 2, cost: 147.5 },
      topProducts: [
        { productId: a.id, name: 'Router A1', units: 4, revenue: 79.96 },
        { productId: b.id, name: 'Cable B', units: 2, revenue: 11 },
      ],
    });
    assert.equal(monthlySales.length, 12);
    assert.equal(monthlySales[11].month, monthKey(new Date()));
    for (let i = 1; i < 12; i += 1) assert.ok(monthlySales[i - 1].month < monthlySales[i].month);
    const byMonth = Object.fromEntries(monthlySales.map((m: { month: string }) => [m.month, m]));
    assert.deepEqual(byMonth[monthKey(new Date())], { month: monthKey(new Date()), revenue: 96.82, units: 6 });
    assert.deepEqual(byMonth[monthKey(fortyDaysAgo)], { month: monthKey(fortyDaysAgo), revenue: 79.96, units: 4 });
    const others = monthlySales.filter((m: { month: string }) => m.month !== monthKey(new Date()) && m.month !== monthKey(fortyDaysAgo));
    assert.ok(others.every((m: { revenue: number; units: number }) => m.revenue === 0 && m.units === 0));
  });

  it('when the service is called directly (AdminJS dashboard, AI), then it returns the same figures', async () => {
    const res = await app.http('GET', '/api/dashboard/stats', { token: app.adminToken });
    assert.deepEqual(JSON.parse(JSON.stringify(await dashboardStats())), res.body);
  });

  it('when the shop time zone moves, then a sale late on the last day of a month counts in the local month', async () => {
    const now = new Date();
    const utcMonthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1);
    const lateEvening = new Date(utcMonthStart - 3_600_000);
    await recordSale([{ productId: b.id, quantity: 1, unitPrice: 0.01 }], { at: lateEvening });

    const inUtc = await app.http('GET', '/api/dashboard/stats', { token: viewer });
    const utcEntry = inUtc.body.monthlySales.find((m: { month: string }) => m.month === monthKey(lateEvening));
    assert.deepEqual(utcEntry, { month: monthKey(lateEvening), revenue: 0.01, units: 1 });

    await app.http('PUT', '/api/settings', { token: app.adminToken, body: { timezone: 'Asia/Tokyo' } });
    const inTokyo = await app.http('GET', '/api/dashboard/stats', { token: viewer });
    const tokyoEntry = inTokyo.body.monthlySales.find((m: { month: string }) => m.month === monthKey(lateEvening, 9));
    assert.deepEqual(tokyoEntry, { month: monthKey(lateEvening, 9), revenue: 0.01, units: 1 });
    assert.notEqual(monthKey(lateEvening), monthKey(lateEvening, 9));
    await app.http('PUT', '/api/settings', { token: app.adminToken, body: { timezone: 'UTC' } });
  });

  it('when a sale, a cancellation or a stock change commits, then the next figures include it (no stale cache)', async () => {
    const stats = async () => (await app.http('GET', '/api/dashboard/stats', { token: viewer })).body;
    const before = await stats();
    assert.deepEqual(await stats(), before);
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: a.id, quantity: 1 }] } });
    assert.equal(sale.status, 201, sale.text);
    const afterSale = await stats();
    assert.equal(afterSale.salesThisMonth.count, before.salesThisMonth.count + 1);
    assert.equal(afterSale.salesThisMonth.units, before.salesThisMonth.units + 1);
    assert.equal(afterSale.totalStockUnits, before.totalStockUnits - 1);
    assert.equal((await app.http('POST', `/api/sales/${sale.body.id}/cancel`, { token: app.adminToken })).status, 200);
    const afterCancel = await stats();
    assert.equal(afterCancel.salesThisMonth.count, before.salesThisMonth.count);
    assert.equal(afterCancel.totalStockUnits, before.totalStockUnits);
  });

  it('when staff asks, then 200; a customer gets 403; without a token, 401', async () => {
    const staff = (await app.userWithRole('staff')).token;
    assert.equal((await app.http('GET', '/api/dashboard/stats', { token: staff })).status, 200);
    assert.equal((await app.http('GET', '/api/dashboard/stats', { token: customer })).status, 403);
    assert.equal((await app.http('GET', '/api/dashboard/stats')).status, 401);
  });
});
