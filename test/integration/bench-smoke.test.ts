import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { db } from '../../src/db/index.js';
import { seedLargeData } from '../../seeders/large.seeder.js';
import { runScenarios, SCENARIOS, type ScenarioResult } from '../../bench/scenarios.js';
import { table } from '../../bench/report.js';

/** The benchmark's own code at tiny sizes (seconds), so `npm run bench` cannot rot; the benchmark itself is not run here. */
describe('benchmark code (smoke)', () => {
  let app: TestApp;
  let seeded: Awaited<ReturnType<typeof seedLargeData>>;

  before(async () => {
    // The bench server lifts the per-user AI budget the same way.
    app = await startTestApp({ AI_RATE_LIMIT: '1000000' }, { now: MID_MONTH });
    seeded = await seedLargeData({ products: 40, sales: 300, days: 15 });
  });
  after(() => app.close());

  it('when the large data set is generated, then counts add up and every product ledger ends at its stock', async () => {
    assert.deepEqual([seeded.products, seeded.sales], [40, 300]);
    const [counts] = await db().query<Record<string, number | string>>(
      `SELECT (SELECT COUNT(*) FROM sale_items) AS line_count, (SELECT COUNT(*) FROM stock_movements) AS movements, (SELECT COUNT(*) FROM purchases WHERE status = 'received') AS purchases`,
      { type: QueryTypes.SELECT },
    );
    assert.equal(Number(counts.line_count), seeded.saleLines);
    assert.equal(Number(counts.movements), seeded.movements);
    assert.equal(Number(counts.purchases), seeded.purchases);
    const broken = await db().query(
      `SELECT p.id FROM products p
        WHERE p.stock < 0
           OR p.stock <> (SELECT SUM(m.delta) FROM stock_movements m WHERE m.product_id = p.id)
           OR p.stock <> (SELECT m.balance_after FROM stock_movements m WHERE m.product_id = p.id ORDER BY m.id DESC LIMIT 1)`,
      { type: QueryTypes.SELECT },
    );
    assert.deepEqual(broken, []);
    assert.deepEqual(await db().query('SELECT id FROM stock_movements WHERE balance_after < 0', { type: QueryTypes.SELECT }), []);
  });

  it('when a sale and a product are created after it, then the invoice and SKU counters continue without clashes', async () => {
    const [last] = await db().query<{ invoice: string; sku: string | null }>(
      `SELECT (SELECT MAX(invoice_number) FROM sales) AS invoice, (SELECT MAX(sku) FROM products WHERE sku LIKE 'OFF-%') AS sku`,
      { type: QueryTypes.SELECT },
    );
    // The SKU counter starts where the data set ends (not by skipping taken numbers one query at a time).
    const [counter] = await db().query<{ value: number }>(`SELECT value FROM sequences WHERE name = 'sku' AND period = 'OFF'`, { type: QueryTypes.SELECT });
    assert.equal(Number(counter?.value ?? 0), last.sku ? Number(last.sku.slice(4)) : 0);
    const next = (code: string) => code.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(6, '0'));
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: 1, quantity: 1 }] } });
    assert.equal(sale.status, 201, sale.text);
    assert.equal(sale.body.invoiceNumber, next(last.invoice));
    const product = await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'After the data set', category: 'Office', price: 1 } });
    assert.equal(product.status, 201, product.text);
    assert.equal(product.body.sku, last.sku ? next(last.sku) : 'OFF-000001');
  });

  it('when every API scenario runs for two seconds, then each reports figures without errors and nothing is oversold', async () => {
    const only = SCENARIOS.filter((name) => name !== 'admin-products');
    const results = await runScenarios({ url: app.url, pid: process.pid, token: app.adminToken, products: 40 }, { duration: 2, connections: 4 }, only);
    assert.deepEqual(results.map((r) => r.name), only);
    const byName = Object.fromEntries(results.map((r) => [r.name, r])) as Record<string, ScenarioResult>;
    for (const r of results) {
      assert.equal(r.errors, 0, `${r.name} errors`);
      assert.ok(r.requests > 0 && r.p50Ms >= 0 && r.peakRssMb > 0, `${r.name} figures`);
    }
    const sales = byName['create-sale'].extra;
    assert.ok(sales.salesRecorded > 0, JSON.stringify(byName['create-sale']));
    assert.deepEqual([sales.mismatchedUnits, sales.oversold, sales.probeSales, sales.probeConflicts], [0, 0, 20, 80]);
    assert.ok(byName['csv-export'].extra.rows >= seeded.saleLines + sales.salesRecorded, JSON.stringify({ csv: byName['csv-export'].extra, lines: seeded.saleLines, sales }));
    assert.ok(byName['dashboard-stats'].extra.maxMs >= byName['dashboard-stats'].p50Ms, JSON.stringify(byName['dashboard-stats']));
    assert.ok(byName['ai-query'].extra.byCategoryMaxMs >= byName['ai-query'].extra.byCategoryP50Ms, JSON.stringify(byName['ai-query'].extra));
    assert.ok(byName['csv-export'].extra.rssGrowthMb >= 0, JSON.stringify(byName['csv-export'].extra));
    const report = table(results, 1000);
    assert.match(report, /^\| Scenario \| req\/s/);
    assert.equal(report.split('\n').length, results.length + 2);
  });
});
