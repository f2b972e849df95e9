import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { assertRollupsMatch, fromRollups } from '../helpers/rollups.js';
import { holdSales } from '../helpers/trade-fixtures.js';
import { selectRows } from '../../src/db/index.js';
import { toDate } from '../../src/db/columns.js';
import { toCents } from '../../src/shared/money.js';
import { createSale, cancelSale } from '../../src/modules/sales/sale.service.js';
import { cancelOrder, placeOrder } from '../../src/modules/storefront/order.service.js';
import { dayKey, dayStartOf, rebuildSalesRollups, splitRange } from '../../src/modules/analytics/sales-rollups.js';
import { topProducts } from '../../src/modules/analytics/dashboard.service.js';
import { unitsSoldSince } from '../../src/modules/ai/tool.js';
import { now } from '../../src/shared/clock.js';
import { SYSTEM } from '../../src/shared/actor.js';
import { resetSettings } from '../../src/modules/settings/settings.service.js';
import type { UserActor } from '../../src/shared/actor.js';

const HOUR = 3_600_000;
const ADDRESS = { deliveryAddress: '1 Rollup Road', contactNumber: '+1 555 0199' };

/** Units sold per product since `from`, recomputed from the lines (the AI tools' sales rates read them from the rollups). */
async function unitsFromLines(from: Date) {
  return new Map((await sumsFromLines(from)).map(([productId, s]) => [productId, s.units]));
}

/** The dashboard's best sellers recomputed from the lines: units, then line totals, then id, since `from`. */
async function bestSellersFromLines(from: Date) {
  return (await sumsFromLines(from)).sort(([a, x], [b, y]) => y.units - x.units || y.cents - x.cents || a - b).slice(0, 5).map(([productId, s]) => ({ productId, units: s.units, revenue: s.cents / 100 }));
}

/** Per product since `from`: units and line totals of the documents not cancelled, from the lines. */
async function sumsFromLines(from: Date) {
  const rows = await selectRows<{ product_id: number; quantity: number; line_total: string | number; created_at: unknown }>(
    `SELECT si.product_id, si.quantity, si.line_total, s.created_at FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE s.status <> 'cancelled'
     UNION ALL SELECT oi.product_id, oi.quantity, oi.line_total, o.created_at FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status <> 'cancelled'`,
  );
  const sums = new Map<number, { units: number; cents: number }>();
  for (const r of rows.filter((r) => toDate(r.created_at)! >= from)) {
    const sum = sums.get(Number(r.product_id)) ?? { units: 0, cents: 0 };
    sums.set(Number(r.product_id), { units: sum.units + Number(r.quantity), cents: sum.cents + toCents(r.line_total) });
  }
  return [...sums.entries()];
}

describe('sales rollups', () => {
  let app: TestApp;
  let customer: UserActor & { token: string };
  const ids: Record<string, number> = {};

  const product = async (name: string, category: string, price: number, costPrice: number, supplierId?: number) => {
    const res = await app.http('POST', '/api/products', { token: app.adminToken, body: { name, category, price, costPrice, stock: 500, ...(supplierId ? { supplierId } : {}) } });
    assert.equal(res.status, 201, res.text);
    return res.body.id as number;
  };
  const sale = (lines: [number, number][], at: Date, discount = 0) => createSale({ items: lines.map(([productId, quantity]) => ({ productId, quantity })), discount }, SYSTEM, { at });
  const order = async (lines: [number, number][], at: Date) => {
    for (const [productId, quantity] of lines) {
      const res = await app.http('POST', '/api/cart/items', { token: customer.token, body: { productId, quantity } });
      assert.equal(res.status, 200, res.text);
    }
    return placeOrder(ADDRESS, customer, { at, notify: false });
  };
  const setZone = async (timezone: string) => assert.equal((await app.http('PUT', '/api/settings', { token: app.adminToken, body: { timezone } })).status, 200);

  before(async () => {
    app = await startTestApp({}, { now: MID_MONTH });
    const { user, token } = await app.userWithRole('customer');
    customer = { id: user.id, role: 'customer', token };
    assert.equal((await app.http('PUT', '/api/settings', { token: app.adminToken, body: { taxRate: 8.25, timezone: 'America/New_York' } })).status, 200);
    const supplier = await app.http('POST', '/api/suppliers', { token: app.adminToken, body: { name: 'Rollup Supplies' } });
    assert.equal(supplier.status, 201, supplier.text);
    ids.supplier = supplier.body.id;
    ids.lamp = await product('Rollup Lamp', 'Lighting', 33.33, 12.5, ids.supplier);
    ids.cable = await product('Rollup Cable', 'Cables', 7.99, 2.1, ids.supplier);
    ids.desk = await product('Rollup Desk', 'Furniture', 249, 120);
  });
  after(() => app.close());

  it('when sales, orders and cancellations are recorded around day boundaries, then every rollup equals the aggregate of the lines', async () => {
    // Late evening in New York is the next day in UTC: the days must be New York's.
    const times = [-40, -27.5, -26, -20, -9.25, -3, -1, 0].map((h) => new Date(MID_MONTH.getTime() + h * HOUR));
    for (const [i, at] of times.entries()) await sale([[ids.lamp, 1 + (i % 3)], [ids.cable, 2], ...(i % 2 ? [[ids.desk, 1] as [number, number]] : [])], at, i === 2 ? 5.55 : 0);
    // One product on two lines of a sale: one rollup row with both lines' sums.
    await sale([[ids.lamp, 1], [ids.cable, 1], [ids.lamp, 2]], times[3], 1.01);
    const viaApi = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: ids.cable, quantity: 3 }, { productId: ids.lamp, quantity: 1 }] } });
    assert.equal(viaApi.status, 201, viaApi.text);
    const placed = [];
    for (const at of times.slice(0, 4)) placed.push(await order([[ids.lamp, 1], [ids.desk, 1]], at));
    const expected = await assertRollupsMatch('America/New_York', 'after sales and orders');
    assert.ok(Object.keys(expected.days).length >= 3, 'the documents span several New York days');

    const cancelled = await sale([[ids.desk, 40], [ids.cable, 1]], times[1]);
    await assertRollupsMatch('America/New_York', 'after one more sale');
    // The dashboard's best sellers read the past days once (cached) and today per request.
    const since = new Date(now().getTime() - 30 * 86_400_000);
    const best = async () => (await topProducts({ from: since, to: new Date(now().getTime() + 86_400_000), timeZone: 'America/New_York' })).map(({ productId, units, revenue }) => ({ productId, units, revenue }));
    assert.deepEqual(await best(), await bestSellersFromLines(since));
    assert.equal((await best())[0].productId, ids.desk);
    const rates = () => unitsSoldSince(30, now(), 'America/New_York');
    assert.deepEqual(await rates(), await unitsFromLines(since));
    // A range reaching the present reads today from its rollup row (nothing is dated later than now), not today's lines.
    const split = await splitRange(since, now(), 'America/New_York');
    assert.equal(split.days?.endDay, dayKey(new Date(now().getTime() + 86_400_000), 'America/New_York'));
    assert.ok(split.edges.every((edge) => edge.to <= dayStartOf(dayKey(now(), 'America/New_York'), 'America/New_York')), JSON.stringify(split.edges));
    await cancelSale(cancelled.id, SYSTEM);
    await cancelSale(viaApi.body.id, SYSTEM);
    const res = await app.http('POST', `/api/orders/${placed[1].id}/cancel`, { token: app.adminToken });
    assert.equal(res.status, 200, res.text);
    await cancelOrder(placed[2].id, { id: customer.id, role: 'customer' });
    await assertRollupsMatch('America/New_York', 'after cancellations');
    // A sale of a past day cancelled: the cached past days are read again.
    assert.deepEqual(await best(), await bestSellersFromLines(since));
    assert.notEqual((await best())[0].productId, ids.desk);
    assert.deepEqual(await rates(), await unitsFromLines(since));
  });

  it('when sales of today lift a product past the ones ranked on the past days, then the best sellers follow at once', async () => {
    const since = new Date(now().getTime() - 30 * 86_400_000);
    const best = async () => (await topProducts({ from: since, to: new Date(now().getTime() + 86_400_000), timeZone: 'America/New_York' })).map(({ productId, units, revenue }) => ({ productId, units, revenue }));
    const sellers: number[] = [];
    for (let i = 0; i < 8; i++) sellers.push(await product(`Ranked Item ${i}`, 'Ranked', 5 + i, 1));
    // Past days: 300, 290, ... 230 units, more than anything sold before, so these eight hold the ranking.
    for (const [i, id] of sellers.entries()) await sale([[id, 300 - 10 * i]], new Date(now().getTime() - 3 * 86_400_000 - i * HOUR));
    assert.deepEqual((await best()).map((b) => b.productId), sellers.slice(0, 5));
    // Today: the last one jumps to the top, the first slips below the second; the others keep their places.
    await sale([[sellers[7], 100]], now());
    await sale([[sellers[1], 15]], now());
    const ranked = await best();
    assert.deepEqual(ranked, await bestSellersFromLines(since));
    assert.deepEqual(ranked.map((b) => b.productId), [sellers[7], sellers[1], sellers[0], sellers[2], sellers[3]]);
  });

  it('when a product moves to another category or supplier, then its figures move with it', async () => {
    assert.equal((await app.http('PUT', `/api/products/${ids.lamp}`, { token: app.adminToken, body: { category: 'Furniture' } })).status, 200);
    assert.equal((await app.http('PUT', `/api/products/${ids.desk}`, { token: app.adminToken, body: { supplierId: ids.supplier } })).status, 200);
    await assertRollupsMatch('America/New_York', 'after the moves');
  });

  it('when the time zone setting changes, then the rollups are rebuilt in the new zone, and later documents follow it', async () => {
    const before = await fromRollups();
    await setZone('Asia/Tokyo');
    const tokyo = await assertRollupsMatch('Asia/Tokyo', 'after the change to Tokyo');
    assert.notDeepEqual(Object.keys(tokyo.days).sort(), Object.keys(before.days).sort(), 'the days moved');
    await sale([[ids.cable, 4]], new Date(MID_MONTH.getTime() - 14.5 * HOUR));
    await order([[ids.desk, 1]], new Date(MID_MONTH.getTime() - 13 * HOUR));
    await assertRollupsMatch('Asia/Tokyo', 'after documents in Tokyo time');

    // The panel's reset of the setting goes back to the default zone.
    await resetSettings(['timezone'], SYSTEM);
    await assertRollupsMatch('UTC', 'back in UTC');
  });

  it('when sales run while the time zone changes, then no document is dated in a zone the rollups are not in', async () => {
    const writes = [
      ...Array.from({ length: 12 }, (_, i) => app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: i % 2 ? ids.lamp : ids.cable, quantity: 1 }] } })),
      app.http('PUT', '/api/settings', { token: app.adminToken, body: { timezone: 'Pacific/Kiritimati' } }),
      ...Array.from({ length: 12 }, () => app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: ids.desk, quantity: 1 }] } })),
    ];
    for (const res of await Promise.all(writes)) assert.ok(res.status === 200 || res.status === 201, res.text);
    await assertRollupsMatch('Pacific/Kiritimati', 'after concurrent sales and a zone change');
  });

  it('when sales of several days and two invoice years are recorded together, then every rollup equals the aggregate and each year counts on without a gap', async () => {
    const held = await holdSales(ids.desk);
    const first = sale([[ids.desk, 1]], MID_MONTH);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lastYear = new Date(MID_MONTH.getTime() - 200 * 86_400_000);
    const times = [-50, -30, -4, 0, -30].map((h) => new Date(MID_MONTH.getTime() + h * HOUR));
    const queued = [...times, lastYear, lastYear].map((at, i) => sale([[ids.lamp, 1 + i], [ids.cable, 1], ...(i % 2 ? [[ids.desk, 2] as [number, number]] : [])], at, i === 3 ? 2.5 : 0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await held.release();
    await first;
    const recorded = await Promise.all(queued);
    // Numbered in the order they were taken (the order of their ids: a call reaches the queue once its year's counter exists).
    const numbers = (year: number) =>
      recorded
        .filter((s) => s.createdAt.getUTCFullYear() === year)
        .sort((a, b) => a.id - b.id)
        .map((s) => Number(String(s.invoiceNumber).split('-').pop()));
    const [thisYear, before] = [numbers(MID_MONTH.getUTCFullYear()), numbers(lastYear.getUTCFullYear())];
    assert.equal(before.length, 2);
    for (const series of [thisYear, before]) assert.deepEqual(series, series.map((_, i) => series[0] + i), 'numbered in the order taken, no gap');
    assert.ok(recorded.every((s) => String(s.invoiceNumber).includes(`-${s.createdAt.getUTCFullYear()}-`)));
    await assertRollupsMatch('Pacific/Kiritimati', 'after one batch over several days');
  });

  it('when the rollups are rebuilt (npm run rollups:rebuild), then they are the same figures', async () => {
    const kept = await fromRollups();
    await rebuildSalesRollups('Pacific/Kiritimati');
    const rebuilt = await assertRollupsMatch('Pacific/Kiritimati', 'after the rebuild');
    assert.deepEqual(Object.keys(rebuilt.products).sort(), Object.keys(kept.products).sort());
  });
});
