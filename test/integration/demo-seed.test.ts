import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { QueryTypes } from 'sequelize';
import { db, isSqlite, selectRows } from '../../src/db/index.js';
import { stockInvariantViolations } from '../helpers/trade-fixtures.js';
import { assertRollupsMatch } from '../helpers/rollups.js';

/** The first start as `npm start` does it: migrations, first admin and the demo seed, before the app takes requests. */
describe('first start with demo data', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ SEED_DEMO: 'true' }, { now: MID_MONTH });
  });
  after(() => app.close());

  it('when the demo is seeded, then its stock alerts tell the same story as its stock: one open alert per low product, none for the rest', async () => {
    const low = await app.http('GET', '/api/inventory/low-stock?limit=100', { token: app.adminToken });
    // One read: the mail worker turns alerts from pending to sent at any moment.
    const alerts = await app.http('GET', '/api/stock-alerts?limit=100', { token: app.adminToken });
    assert.ok(alerts.body.total <= 100, 'every alert on one page');
    const open = alerts.body.data.filter((a: { status: string }) => a.status === 'pending' || a.status === 'sent');
    const lowIds = low.body.data.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b);
    const alerted = open.map((a: { productId: number }) => a.productId).sort((a: number, b: number) => a - b);
    assert.ok(lowIds.length > 0, 'the demo has products at risk');
    assert.deepEqual(alerted, lowIds);
    const stats = await app.http('GET', '/api/dashboard/stats', { token: app.adminToken });
    assert.equal(stats.body.lowStockCount, lowIds.length);
  });

  it('when the demo is seeded, then its sales rollups (built once after the seed) equal the aggregate of its sales and orders', async () => {
    const { days } = await assertRollupsMatch('UTC', 'demo seed');
    assert.ok(Object.keys(days).length > 100, 'six months of sales days');
  });

  it('when the demo is seeded, then every location level adds up to its ledger and every product stock to its levels', async () => {
    assert.deepEqual(await stockInvariantViolations(), []);
    const broken = await db().query('SELECT p.id FROM products p WHERE p.stock <> COALESCE((SELECT SUM(m.delta) FROM stock_movements m WHERE m.product_id = p.id), 0)', {
      type: QueryTypes.SELECT,
    });
    assert.deepEqual(broken, []);
  });

  it("when the demo is seeded, then its invoice numbers run 1, 2, 3... per year up to that year's counter, and every sale and purchase has its audit row", async () => {
    const sales = await selectRows<{ id: number; invoice_number: string }>('SELECT id, invoice_number FROM sales ORDER BY id');
    const byYear = new Map<string, number[]>();
    for (const sale of sales) {
      const [, year, number] = /^INV-(\d{4})-(\d{6})$/.exec(sale.invoice_number) ?? [];
      byYear.set(year, [...(byYear.get(year) ?? []), Number(number)]);
    }
    assert.ok(byYear.size >= 1 && sales.length > 900, 'six months of sales');
    for (const [year, numbers] of byYear) {
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `invoices of ${year}`);
      const [counter] = await selectRows<{ value: number }>("SELECT value FROM sequences WHERE name = 'invoice' AND period = :year", { year });
      assert.equal(Number(counter.value), numbers.length, `counter of ${year}`);
    }
    for (const [table, action] of [['sales', 'sale.create'], ['purchases', 'purchase.create']]) {
      const missing = await selectRows(`SELECT d.id FROM ${table} d WHERE (SELECT COUNT(*) FROM audit_logs a WHERE a.action = :action AND a.entity_id = ${isSqlite() ? 'CAST(d.id AS TEXT)' : 'CAST(d.id AS CHAR)'}) <> 1`, { action });
      assert.deepEqual(missing, [], `${table} without exactly one ${action} audit row`);
    }
  });

  it('when the demo is seeded, then the shop has three places, a received and an in-transit transfer, and one posted count', async () => {
    const token = app.adminToken;
    const locations = (await app.http('GET', '/api/locations', { token })).body.data.map((l: { code: string }) => l.code).sort();
    assert.deepEqual(locations, ['MAIN', 'STALL', 'WH1']);
    const statuses = (await app.http('GET', '/api/transfers', { token })).body.data.map((t: { status: string }) => t.status).sort();
    assert.deepEqual(statuses, ['in_transit', 'received']);
    const counts = (await app.http('GET', '/api/stock-counts', { token })).body.data;
    assert.deepEqual(
      counts.map((c: { status: string; totals: { varianceUnits: number } }) => [c.status, c.totals.varianceUnits]),
      [['posted', -1]],
    );
  });
});
