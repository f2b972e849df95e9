import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { now as clockNow } from '../../src/shared/clock.js';
import { seedAiData, INJECTION_NAME, CUSTOMER_EMAIL } from '../helpers/ai-seed.js';
import { db } from '../../src/db/index.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { insightsPageHandler } from '../../plugins/ai-insights/handlers/insights-page.js';
import { bounds as periodBounds, previousBounds } from '../ai-eval/score.js';

const DAY = 86_400_000;
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const q = <T extends object = any>(sql: string, replacements: Record<string, unknown> = {}) => db().query<T>(sql, { type: QueryTypes.SELECT, replacements }) as unknown as Promise<T[]>;
const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v).replace(' ', 'T').replace(/ ?\+00:00$/, 'Z')));
const cents = (v: unknown) => Math.round(Number(v) * 100);
const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 0.02, `${what}: ${actual} vs ${expected}`);

/** Period bounds computed independently of the app (business time zone UTC in these tests); prev_X is the comparison period of X. */
const bounds = (key: string, now: Date) => (key.startsWith('prev_') ? previousBounds(key.slice(5), now) : periodBounds(key, now));

interface Line { productId: number; name: string; category: string; quantity: number; revenue: number; at: number }
interface Head { total: number; at: number }

describe('AI built-in analyst on seeded data', () => {
  let app: TestApp;
  let now: Date;
  let lines: Line[];
  let heads: Head[];
  const ask = (question: string, token = app.adminToken) => app.http('POST', '/api/ai/query', { token, body: { question } });

  before(async () => {
    app = await startTestApp({ AI_RATE_LIMIT: '1000' }, { now: MID_MONTH });
    const { user } = await app.userWithRole('customer');
    await seedAiData(user.id);
    now = clockNow();
    const raw = await q(`
      SELECT si.product_id AS pid, p.name, p.category, si.quantity, si.line_total AS lt, s.total, s.subtotal, s.created_at AS at
      FROM sale_items si JOIN sales s ON s.id = si.sale_id JOIN products p ON p.id = si.product_id WHERE s.status != 'cancelled'
      UNION ALL
      SELECT oi.product_id, p.name, p.category, oi.quantity, oi.line_total, o.total, o.subtotal, o.created_at
      FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.status != 'cancelled'`);
    lines = raw.map((r: any) => ({ productId: Number(r.pid), name: r.name, category: r.category, quantity: Number(r.quantity), revenue: Number(r.subtotal) > 0 ? (Number(r.lt) * Number(r.total)) / Number(r.subtotal) : 0, at: asDate(r.at).getTime() }));
    const rawHeads = await q(`SELECT total, created_at AS at FROM sales WHERE status != 'cancelled' UNION ALL SELECT total, created_at FROM orders WHERE status != 'cancelled'`);
    heads = rawHeads.map((r: any) => ({ total: cents(r.total), at: asDate(r.at).getTime() }));
  });
  after(() => app.close());

  const inRange = <T extends { at: number }>(rows: T[], b: { from: number; to: number }) => rows.filter((r) => r.at >= b.from && r.at < b.to);
  function ranking(key: string, by: 'units' | 'revenue') {
    const map = new Map<number, { productId: number; name: string; units: number; revenue: number }>();
    for (const l of inRange(lines, bounds(key, now))) {
      const e = map.get(l.productId) ?? { productId: l.productId, name: l.name, units: 0, revenue: 0 };
      e.units += l.quantity;
      e.revenue += l.revenue;
      map.set(l.productId, e);
    }
    return [...map.values()].sort((a, b) => (by === 'units' ? b.units - a.units || b.revenue - a.revenue : b.revenue - a.revenue || b.units - a.units));
  }
  function totals(key: string) {
    const b = bounds(key, now);
    const h = inRange(heads, b);
    return { revenue: h.reduce((s, x) => s + x.total, 0) / 100, count: h.length, units: inRange(lines, b).reduce((s, l) => s + l.quantity, 0) };
  }

  const topCases: [string, string, 'units' | 'revenue'][] = [
    ['Which product had the most sales this month?', 'this_month', 'units'],
    ['What was our best seller last week?', 'last_week', 'units'],
    ['top products this month', 'this_month', 'units'],
    ['Show the top selling products in the last 30 days', 'last_30_days', 'units'],
    ['Which products brought in the highest revenue last month?', 'last_month', 'revenue'],
    ['What sold the most this year?', 'this_year', 'units'],
  ];
  for (const [question, key, by] of topCases) {
    it(`when asked "${question}", then the top product and its figures match SQL`, async () => {
      const res = await ask(question);
      assert.equal(res.status, 200);
      assert.equal(res.body.source, 'builtin');
      const expected = ranking(key, by);
      const got = res.body.data.top_products;
      assert.equal(got.by, by);
      assert.equal(got.period.key, key);
      assert.equal(got.products[0].productId, expected[0].productId);
      assert.equal(got.products[0].units, expected[0].units);
      near(got.products[0].revenue, expected[0].revenue, 'revenue');
      for (const [i, p] of got.products.entries()) assert.equal(p.units, expected[i].units);
      assert.ok(res.body.response.includes(expected[0].name), res.body.response);
      assert.ok(res.body.response.includes(by === 'units' ? `${int.format(expected[0].units)} unit` : usd.format(got.products[0].revenue)), res.body.response);
      assert.ok(res.body.response.includes(usd.format(got.products[0].revenue)));
      const stock = res.body.data.product_stock.product;
      const [row] = await q(`SELECT stock FROM products WHERE id = :id`, { id: expected[0].productId });
      assert.equal(stock.stock, Number((row as any).stock));
    });
  }

  const summaryCases: [string, string, string][] = [
    ['What were total sales this month vs last month?', 'this_month', 'prev_this_month'],
    ['How much revenue did we make last month?', 'last_month', 'prev_last_month'],
    ['Revenue in the last 7 days', 'last_7_days', ''],
    ['How were sales yesterday?', 'yesterday', ''],
    ['sales today', 'today', ''],
    ['What is our turnover this year?', 'this_year', ''],
  ];
  for (const [question, key, prevKey] of summaryCases) {
    it(`when asked "${question}", then revenue, count and units match SQL`, async () => {
      const res = await ask(question);
      assert.equal(res.status, 200);
      const s = res.body.data.sales_summary;
      const t = totals(key);
      assert.equal(s.period.key, key);
      assert.equal(s.current.revenue, t.revenue);
      assert.equal(s.current.count, t.count);
      assert.equal(s.current.units, t.units);
      assert.ok(res.body.response.includes(usd.format(t.revenue)), res.body.response);
      assert.ok(res.body.response.includes(`${int.format(t.count)} sale`), res.body.response);
      if (prevKey) {
        const p = totals(prevKey);
        assert.equal(s.previous.revenue, p.revenue);
        assert.equal(s.previous.count, p.count);
        const pct = Math.round(((t.revenue - p.revenue) / p.revenue) * 1000) / 10;
        assert.equal(s.change.revenuePct, pct);
        assert.ok(res.body.response.includes(usd.format(p.revenue)), res.body.response);
      }
    });
  }

  it('when asked for sales between explicit dates, then the range is inclusive of both days', async () => {
    const from = new Date(now.getTime() - 60 * DAY).toISOString().slice(0, 10);
    const to = new Date(now.getTime() - 31 * DAY).toISOString().slice(0, 10);
    const res = await ask(`What were sales from ${from} to ${to}?`);
    const b = { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY };
    const h = inRange(heads, b);
    assert.equal(res.body.data.sales_summary.current.revenue, h.reduce((s, x) => s + x.total, 0) / 100);
    assert.equal(res.body.data.sales_summary.current.count, h.length);
    assert.ok(res.body.response.includes(`from ${from} to ${to}`));
  });

  for (const [question, key] of [['Sales by category this month', 'this_month'], ['revenue by category last month', 'last_month']]) {
    it(`when asked "${question}", then category revenue matches SQL`, async () => {
      const res = await ask(question);
      const byCat = new Map<string, number>();
      for (const l of inRange(lines, bounds(key, now))) byCat.set(l.category, (byCat.get(l.category) ?? 0) + l.revenue);
      const got = res.body.data.revenue_by_category.categories;
      assert.equal(got.length, byCat.size);
      for (const c of got) near(c.revenue, byCat.get(c.category)!, c.category);
      assert.ok(res.body.response.includes(`${got[0].category} ${usd.format(got[0].revenue)}`), res.body.response);
    });
  }

  async function productRow(name: string) {
    const [row] = await q<any>(`SELECT id, sku, stock, low_stock_threshold FROM products WHERE name = :name`, { name });
    const [sold] = await q<any>(
      `SELECT COALESCE(SUM(x.quantity), 0) AS units FROM (
         SELECT si.quantity, s.created_at AS at FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE s.status != 'cancelled' AND si.product_id = :id
         UNION ALL SELECT oi.quantity, o.created_at FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status != 'cancelled' AND oi.product_id = :id) x
       WHERE x.at >= :from`,
      { id: row.id, from: new Date(clockNow().getTime() - 30 * DAY) },
    );
    return { ...row, stock: Number(row.stock), units30: Number(sold.units) };
  }

  const stockCases: [string, string][] = [
    ['How many Router A1 do we have?', 'Router A1'],
    ["What's the stock level of router a1?", 'Router A1'],
    ['How many ruoter a1 are left?', 'Router A1'],
    ['Do we have any hand sanitizer in stock?', 'Hand Sanitizer 500ml'],
  ];
  for (const [question, name] of stockCases) {
    it(`when asked "${question}", then the product's stock and sales rate match SQL`, async () => {
      const res = await ask(question);
      const row = await productRow(name);
      const p = res.body.data.product_stock.product;
      assert.equal(p.name, name);
      assert.equal(p.stock, row.stock);
      assert.equal(p.threshold, row.low_stock_threshold ?? 10);
      assert.ok(Math.abs(p.unitsSoldLast30Days - row.units30) <= 0, `${p.unitsSoldLast30Days} vs ${row.units30}`);
      assert.equal(p.dailySalesRate, Math.round((row.units30 / 30) * 100) / 100);
      assert.ok(res.body.response.includes(`${int.format(row.stock)} unit`), res.body.response);
    });
  }

  it('when asked for the stock of a SKU, then that exact product answers', async () => {
    const row = await productRow('Mesh Node M2');
    const res = await ask(`stock of ${row.sku}`);
    assert.equal(res.body.data.product_stock.matchType, 'sku');
    assert.equal(res.body.data.product_stock.product.stock, row.stock);
    assert.ok(res.body.response.includes('Mesh Node M2'));
  });

  for (const question of ['What is low on stock?', 'Which products are out of stock?']) {
    it(`when asked "${question}", then the low and out-of-stock counts match SQL`, async () => {
      const res = await ask(question);
      const [c] = await q<any>(`SELECT SUM(CASE WHEN stock <= 0 THEN 1 ELSE 0 END) AS out_n, SUM(CASE WHEN stock > 0 AND stock <= COALESCE(low_stock_threshold, 10) THEN 1 ELSE 0 END) AS low_n FROM products WHERE archived_at IS NULL`);
      const r = res.body.data.low_stock;
      assert.equal(r.outOfStockCount, Number(c.out_n));
      assert.equal(r.lowCount, Number(c.low_n));
      assert.ok(Number(c.out_n) + Number(c.low_n) > 0, 'the demo leaves some products at risk');
      assert.ok(res.body.response.startsWith(`${int.format(Number(c.out_n))} product`), res.body.response);
    });
  }

  for (const question of ['What should I reorder?', 'Which products need restocking?']) {
    it(`when asked "${question}", then every recommendation is low on stock or at its reorder point with DB stock, and every low product is there`, async () => {
      const res = await ask(question);
      const recs = res.body.data.reorder_recommendations.recommendations;
      assert.ok(recs.length > 0);
      for (const r of recs) {
        const [row] = await q<any>(`SELECT stock, COALESCE(low_stock_threshold, 10) AS threshold FROM products WHERE id = :id`, { id: r.productId });
        assert.equal(r.stock, Number(row.stock));
        assert.ok(r.stock + r.onOrder <= r.reorderPoint || r.stock <= Number(row.threshold), JSON.stringify(r));
      }
      const low = await q<any>(`SELECT id FROM products WHERE archived_at IS NULL AND stock <= COALESCE(low_stock_threshold, 10)`);
      assert.ok(low.length > 0 && low.length <= 50);
      const listed = new Set(recs.map((r: { productId: number }) => r.productId));
      for (const { id } of low) assert.ok(listed.has(Number(id)), `low-stock product ${id} is a reorder candidate`);
      assert.ok(res.body.response.includes(`${recs[0].name}: order ${int.format(recs[0].recommendedQuantity)}`), res.body.response);
    });
  }

  for (const question of ['Show me slow movers', 'Do we have dead stock?']) {
    it(`when asked "${question}", then dead stock (nothing sold in 60 days) matches SQL`, async () => {
      const res = await ask(question);
      const dead = await q<any>(
        `SELECT p.id, p.stock * p.cost_price AS value FROM products p WHERE p.archived_at IS NULL AND p.stock > 0 AND NOT EXISTS (
           SELECT 1 FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE si.product_id = p.id AND s.status != 'cancelled' AND s.created_at >= :from)
         AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id = p.id AND o.status != 'cancelled' AND o.created_at >= :from)`,
        { from: new Date(clockNow().getTime() - 60 * DAY) },
      );
      const r = res.body.data.slow_movers;
      near(r.deadStockValue, dead.reduce((s: number, d: any) => s + cents(d.value), 0) / 100, 'dead stock value');
      assert.deepEqual(new Set(r.deadStock.map((d: any) => d.productId)), new Set(dead.slice(0, 10).length === dead.length ? dead.map((d: any) => Number(d.id)) : r.deadStock.map((d: any) => d.productId)));
      assert.ok(r.deadStock.some((d: any) => d.name === INJECTION_NAME));
      assert.ok(res.body.response.includes(usd.format(r.deadStockValue)), res.body.response);
    });
  }

  for (const question of ['What is our stock worth?', 'What is the value of our inventory?']) {
    it(`when asked "${question}", then the valuation matches SQL and skips archived products`, async () => {
      const res = await ask(question);
      const [v] = await q<any>(`SELECT SUM(stock * cost_price) AS c, SUM(stock * price) AS p, SUM(stock) AS u FROM products WHERE archived_at IS NULL`);
      const r = res.body.data.stock_valuation;
      near(r.atCost, Number(v.c), 'at cost');
      near(r.atPrice, Number(v.p), 'at price');
      assert.equal(r.totalUnits, Number(v.u));
      assert.ok(res.body.response.includes(usd.format(r.atCost)) && res.body.response.includes(usd.format(r.atPrice)));
    });
  }

  for (const [question, key] of [['Rank our suppliers by spend this month', 'this_month'], ["What are our suppliers' lead times last month?", 'last_month']]) {
    it(`when asked "${question}", then supplier spend matches SQL`, async () => {
      const res = await ask(question);
      const b = bounds(key, now);
      const rows = await q<any>(`SELECT supplier_id, total_cost, created_at FROM purchases WHERE status != 'cancelled'`);
      const spend = new Map<number, number>();
      for (const r of rows) if (asDate(r.created_at).getTime() >= b.from && asDate(r.created_at).getTime() < b.to) spend.set(Number(r.supplier_id), (spend.get(Number(r.supplier_id)) ?? 0) + cents(r.total_cost));
      const got = res.body.data.supplier_performance.suppliers;
      for (const s of got) assert.equal(Math.round(s.spend * 100), spend.get(s.supplierId) ?? 0, s.name);
      const [lead] = await q<any>(`SELECT name, lead_time_days FROM suppliers ORDER BY lead_time_days DESC, id LIMIT 1`);
      assert.ok(res.body.response.includes(`${lead.name} (${lead.lead_time_days} days)`), res.body.response);
    });
  }

  for (const [question, key] of [['Purchases this month', 'this_month'], ['How much did we buy last month?', 'last_month'], ['How much did we spend with suppliers this month?', 'this_month']]) {
    it(`when asked "${question}", then purchase count and cost match SQL`, async () => {
      const res = await ask(question);
      const b = bounds(key, now);
      const rows = (await q<any>(`SELECT total_cost, created_at FROM purchases WHERE status != 'cancelled'`)).filter((r) => asDate(r.created_at).getTime() >= b.from && asDate(r.created_at).getTime() < b.to);
      const r = res.body.data.purchases_in_period;
      assert.equal(r.count, rows.length);
      assert.equal(Math.round(r.cost * 100), rows.reduce((s, x) => s + cents(x.total_cost), 0));
      if (rows.length) assert.ok(res.body.response.includes(usd.format(r.cost)), res.body.response);
    });
  }

  for (const question of ["What's the weather in Paris?", 'Who is the CEO of Apple?', 'Tell me a joke', 'How many employees do we have?']) {
    it(`when asked "${question}", then it says what it can answer and invents no number`, async () => {
      const res = await ask(question);
      assert.equal(res.status, 200);
      assert.equal(res.body.source, 'builtin');
      assert.equal(/\d/.test(res.body.response), false, res.body.response);
      assert.deepEqual(Object.values(res.body.data).filter((d: any) => d?.found !== false), []);
    });
  }

  it('when an answer offers follow-up questions, then each of them is understood and answered from the data', async () => {
    const seen = new Set<string>();
    for (const question of ['Which product brought in the most revenue this month?', 'What is low on stock?', 'How many products do we carry?', 'Purchases this month', "What's the weather in Paris?"]) {
      const res = await ask(question);
      assert.ok(res.body.suggestions.length >= 2, question);
      for (const s of res.body.suggestions) seen.add(s);
    }
    for (const suggestion of seen) {
      const res = await ask(suggestion);
      assert.equal(res.status, 200);
      assert.notEqual(res.body.intent, 'none', suggestion);
      assert.ok(Object.keys(res.body.data).length > 0, suggestion);
    }
  });

  it('when results are returned, then no customer email or name appears anywhere', async () => {
    for (const question of ['top products today', 'sales today', 'What should I reorder?', 'Show me slow movers']) {
      const res = await ask(question);
      assert.equal(res.text.includes(CUSTOMER_EMAIL), false);
      assert.equal(res.text.includes('Jane Secret'), false);
    }
  });

  it('when the summary is requested, then it covers trend, top, stock risks, reorder and slow movers from the same figures', async () => {
    const res = await app.http('GET', '/api/ai/summary', { token: app.adminToken });
    assert.equal(res.status, 200);
    assert.equal(res.body.source, 'builtin');
    const t = totals('this_month');
    assert.equal(res.body.data.sales_summary.current.revenue, t.revenue);
    assert.ok(res.body.response.includes(usd.format(t.revenue)));
    for (const key of ['top_products', 'low_stock', 'reorder_recommendations', 'slow_movers']) assert.ok(res.body.data[key], key);
    // Its low-stock list is shorter than the products at risk: the fewest in stock, every one below the last listed stock included.
    const low = res.body.data.low_stock.products as { productId: number; stock: number; dailySalesRate: number }[];
    const atRisk = await q<any>(`SELECT id, stock FROM products WHERE archived_at IS NULL AND (stock <= 0 OR stock <= COALESCE(low_stock_threshold, 10)) ORDER BY stock, id`);
    assert.ok(atRisk.length > low.length && low.length === 10, `${atRisk.length} at risk, ${low.length} listed`);
    assert.deepEqual(low.map((p) => p.stock), atRisk.slice(0, 10).map((r) => Number(r.stock)));
    const last = low[low.length - 1].stock;
    const listed = new Set(low.map((p) => p.productId));
    for (const r of atRisk.filter((r) => Number(r.stock) < last)) assert.ok(listed.has(Number(r.id)), `product ${r.id} (${r.stock} in stock) is listed`);
    for (let i = 1; i < low.length; i++) assert.ok(low[i - 1].stock < low[i].stock || low[i - 1].dailySalesRate >= low[i].dailySalesRate, 'ties by sales rate, best seller first');
  });

  it('when a question is asked, then it is audit-logged with the tools, source and duration', async () => {
    await ask('Sales by category this month');
    const log = await AuditLog.findOne({ where: { action: 'ai.query' }, order: [['id', 'DESC']] });
    const changes = log!.changes as any;
    assert.equal(changes.question, 'Sales by category this month');
    assert.deepEqual(changes.tools, ['revenue_by_category']);
    assert.equal(changes.source, 'builtin');
    assert.equal(typeof changes.durationMs, 'number');
  });

  it('when the question is empty or longer than 500 characters, then 400', async () => {
    assert.equal((await ask('   ')).status, 400);
    assert.equal((await ask('x'.repeat(501))).status, 400);
    assert.equal((await app.http('POST', '/api/ai/query', { token: app.adminToken, body: {} })).status, 400);
  });

  it('when a viewer asks, then it answers; a customer or anonymous caller is refused', async () => {
    const viewer = await app.userWithRole('viewer');
    const customer = await app.userWithRole('customer');
    assert.equal((await ask('sales today', viewer.token)).status, 200);
    assert.equal((await ask('sales today', customer.token)).status, 403);
    assert.equal((await app.http('POST', '/api/ai/query', { body: { question: 'sales today' } })).status, 401);
  });
});

describe('AI rate limit', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ AI_RATE_LIMIT: '3' });
  });
  after(() => app.close());

  it('when a user exceeds the per-minute limit, then 429 RATE_LIMITED, and other users are unaffected', async () => {
    const a = await app.userWithRole('staff');
    const b = await app.userWithRole('staff');
    for (let i = 0; i < 3; i++) assert.equal((await app.http('POST', '/api/ai/query', { token: a.token, body: { question: 'sales today' } })).status, 200);
    const limited = await app.http('POST', '/api/ai/query', { token: a.token, body: { question: 'sales today' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.equal((await app.http('GET', '/api/ai/summary', { token: b.token })).status, 200);
  });

  it('when a user spent the budget over REST, then the panel insights page refuses them too (one shared budget)', async () => {
    const c = await app.userWithRole('staff');
    for (let i = 0; i < 3; i++) assert.equal((await app.http('GET', '/api/ai/summary', { token: c.token })).status, 200);
    const page = await insightsPageHandler({ method: 'post', payload: { question: 'sales today' } }, undefined, {
      currentAdmin: { id: String(c.user.id), email: c.user.email, role: 'staff' },
    });
    assert.deepEqual(page, { allowed: true, error: 'Too many AI requests, try again in a minute' });
  });
});
