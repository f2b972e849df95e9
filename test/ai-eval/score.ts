/**
 * Scores the analyst on the held-out questions (test/ai-eval/heldout.json).
 *
 * The app runs for real (HTTP, real database, fixed clock) over the AI seed;
 * every expected figure is computed here with its own SQL and date arithmetic
 * from the expected intent and entities, never with the app's tools.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { seedAiData } from '../helpers/ai-seed.js';
import { db } from '../../src/db/index.js';

const DAY = 86_400_000;
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const here = path.dirname(fileURLToPath(import.meta.url));

export interface HeldOut {
  q: string;
  intent: string;
  entities: Record<string, string | number>;
}
export interface HeldOutFile {
  now: string;
  questions: HeldOut[];
}

/** The held-out set (heldout.json), or another set in this folder by name (e.g. "fresh"). */
export function loadHeldOut(set = 'heldout'): HeldOutFile {
  return JSON.parse(readFileSync(path.join(here, `${set}.json`), 'utf8')) as HeldOutFile;
}

export interface Scored {
  q: string;
  expected: string;
  got: string;
  intentOk: boolean;
  entitiesOk: boolean;
  figuresOk: boolean;
  correct: boolean;
  problems: string[];
  ms: number;
  response: string;
}

const q = <T extends object = any>(sql: string, replacements: Record<string, unknown> = {}) => db().query<T>(sql, { type: QueryTypes.SELECT, replacements }) as unknown as Promise<T[]>;
const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v).replace(' ', 'T').replace(/ ?\+00:00$/, 'Z')));
const cents = (v: unknown) => Math.round(Number(v) * 100);
const near = (a: number, b: number) => Math.abs(a - b) <= 0.02;

interface Bounds {
  from: number;
  to: number;
}

/** Period bounds in UTC (the business time zone of the test app), computed without the app's code. */
export function bounds(period: string, now: Date): Bounds {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const sod = Date.UTC(y, m, now.getUTCDate());
  const monday = sod - ((now.getUTCDay() + 6) % 7) * DAY;
  const n = now.getTime();
  const custom = /^custom:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
  if (custom) return { from: Date.parse(`${custom[1]}T00:00:00Z`), to: Math.min(Date.parse(`${custom[2]}T00:00:00Z`) + DAY, n) };
  switch (period) {
    case 'today': return { from: sod, to: n };
    case 'yesterday': return { from: sod - DAY, to: sod };
    case 'this_week': return { from: monday, to: n };
    case 'last_week': return { from: monday - 7 * DAY, to: monday };
    case 'this_month': return { from: Date.UTC(y, m, 1), to: n };
    case 'last_month': return { from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
    case 'last_7_days': return { from: sod - 6 * DAY, to: n };
    case 'last_30_days': return { from: sod - 29 * DAY, to: n };
    case 'last_90_days': return { from: sod - 89 * DAY, to: n };
    case 'this_year': return { from: Date.UTC(y, 0, 1), to: n };
    default: throw new Error(`unknown period ${period}`);
  }
}

/** The comparison period of a period (same days one unit earlier; the equal span before for day counts). */
export function previousBounds(period: string, now: Date): Bounds {
  const b = bounds(period, now);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const back = (t: number, months: number) => {
    const d = new Date(t);
    const dim = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0)).getUTCDate();
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, Math.min(d.getUTCDate(), dim), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  };
  switch (period) {
    case 'this_month': return { from: Date.UTC(y, m - 1, 1), to: Math.min(back(b.to, -1), b.from) };
    case 'last_month': return { from: Date.UTC(y, m - 2, 1), to: Date.UTC(y, m - 1, 1) };
    case 'this_year': return { from: Date.UTC(y - 1, 0, 1), to: back(b.to, -12) };
    case 'this_week':
    case 'last_week': return { from: b.from - 7 * DAY, to: Math.min(b.to - 7 * DAY, b.from) };
    case 'today':
    case 'yesterday': return { from: b.from - DAY, to: Math.min(b.to - DAY, b.from) };
    default: return { from: b.from - (b.to - b.from), to: b.from };
  }
}

interface Line { productId: number; quantity: number; revenue: number; margin: number; at: number }
interface Head { total: number; at: number }
interface Prod { id: number; name: string; sku: string; category: string; supplierId: number | null; stock: number; threshold: number; cost: number; price: number; active: boolean }
interface Purchase { supplierId: number | null; status: string; cost: number; units: number; at: number }

export interface Reference {
  now: Date;
  lines: Line[];
  heads: Head[];
  products: Prod[];
  purchases: Purchase[];
  suppliers: { id: number; name: string; leadTime: number }[];
  /** Per location code, and for each product id, the quantity held there (active products); units on the road. */
  levels: { code: string; name: string; units: number; byProduct: Map<number, number> }[];
  inTransit: number;
}

/** Everything the checks need, read with plain SQL. */
export async function loadReference(now: Date): Promise<Reference> {
  const raw = await q(`
    SELECT si.product_id AS pid, si.quantity, si.line_total AS lt, si.unit_cost AS uc, s.total, s.tax, s.subtotal, s.created_at AS at
    FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE s.status != 'cancelled'
    UNION ALL
    SELECT oi.product_id, oi.quantity, oi.line_total, p.cost_price, o.total, o.tax, o.subtotal, o.created_at
    FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.status != 'cancelled'`);
  const lines = raw.map((r: any) => {
    const share = Number(r.subtotal) > 0 ? Number(r.lt) / Number(r.subtotal) : 0;
    return { productId: Number(r.pid), quantity: Number(r.quantity), revenue: share * Number(r.total), margin: share * (Number(r.total) - Number(r.tax)) - Number(r.uc) * Number(r.quantity), at: asDate(r.at).getTime() };
  });
  const rawHeads = await q(`SELECT total, created_at AS at FROM sales WHERE status != 'cancelled' UNION ALL SELECT total, created_at FROM orders WHERE status != 'cancelled'`);
  const products = (await q(`SELECT id, name, sku, category, supplier_id, stock, low_stock_threshold AS th, cost_price, price, archived_at FROM products`)).map((r: any) => ({
    id: Number(r.id), name: String(r.name), sku: String(r.sku), category: String(r.category), supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
    stock: Number(r.stock), threshold: r.th === null ? 10 : Number(r.th), cost: Number(r.cost_price), price: Number(r.price), active: r.archived_at === null,
  }));
  const purchases = (await q(`SELECT pu.supplier_id, pu.status, pu.total_cost, pu.created_at, (SELECT COALESCE(SUM(quantity), 0) FROM purchase_items pi WHERE pi.purchase_id = pu.id) AS units FROM purchases pu WHERE pu.status != 'cancelled'`)).map((r: any) => ({
    supplierId: r.supplier_id === null ? null : Number(r.supplier_id), status: String(r.status), cost: cents(r.total_cost), units: Number(r.units), at: asDate(r.created_at).getTime(),
  }));
  const suppliers = (await q(`SELECT id, name, lead_time_days FROM suppliers ORDER BY id`)).map((r: any) => ({ id: Number(r.id), name: String(r.name), leadTime: Number(r.lead_time_days) }));
  const levelRows = await q(`SELECT l.code, l.name, s.product_id, s.quantity FROM locations l LEFT JOIN stock_levels s ON s.location_id = l.id
     LEFT JOIN products p ON p.id = s.product_id WHERE l.archived_at IS NULL AND (p.id IS NULL OR p.archived_at IS NULL)`);
  const levels: Reference['levels'] = [];
  for (const r of levelRows as any[]) {
    let place = levels.find((l) => l.code === r.code);
    if (!place) levels.push((place = { code: String(r.code), name: String(r.name), units: 0, byProduct: new Map() }));
    if (r.product_id !== null) {
      place.units += Number(r.quantity);
      place.byProduct.set(Number(r.product_id), Number(r.quantity));
    }
  }
  const [road] = await q(`SELECT COALESCE(SUM(tl.shipped - tl.received), 0) AS units FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id WHERE t.status IN ('in_transit', 'partially_received')`);
  return { now, levels, inTransit: Number((road as any).units), lines, heads: rawHeads.map((r: any) => ({ total: cents(r.total), at: asDate(r.at).getTime() })), products, purchases, suppliers };
}

const within = <T extends { at: number }>(rows: T[], b: Bounds) => rows.filter((r) => r.at >= b.from && r.at < b.to);

function perProduct(ref: Reference, b: Bounds) {
  const map = new Map<number, { units: number; revenue: number; margin: number }>();
  for (const l of within(ref.lines, b)) {
    const e = map.get(l.productId) ?? { units: 0, revenue: 0, margin: 0 };
    e.units += l.quantity;
    e.revenue += l.revenue;
    e.margin += l.margin;
    map.set(l.productId, e);
  }
  return map;
}

function soldSince(ref: Reference, days: number) {
  const map = new Map<number, number>();
  for (const l of within(ref.lines, { from: ref.now.getTime() - days * DAY, to: ref.now.getTime() })) map.set(l.productId, (map.get(l.productId) ?? 0) + l.quantity);
  return map;
}

const activeProducts = (ref: Reference) => ref.products.filter((p) => p.active);
const byName = (ref: Reference, name: string) => ref.products.find((p) => p.name.toLowerCase() === name.toLowerCase());

/** The intent an answer shows: its own label when it gives one, else the tool it used (for analysts that give none). */
const TOOL_INTENTS: Record<string, string[]> = {
  top_products: ['top_products'],
  sales_summary: ['sales_total', 'sales_comparison'],
  revenue_by_category: ['sales_by_category'],
  product_stock: ['product_stock', 'days_of_cover'],
  low_stock: ['low_stock', 'out_of_stock'],
  reorder_recommendations: ['reorder'],
  slow_movers: ['slow_movers', 'dead_stock'],
  stock_valuation: ['stock_value'],
  supplier_performance: ['supplier_performance'],
  purchases_in_period: ['purchases'],
};

function intentOf(body: any, expected: string): string {
  if (typeof body.intent === 'string') return body.intent;
  const keys = Object.keys(body.data ?? {}).filter((k) => (body.data[k] as any)?.found !== false);
  if (!keys.length) return 'none';
  const candidates = TOOL_INTENTS[keys[0].replace(/_\d+$/, '')] ?? [keys[0]];
  return candidates.includes(expected) ? expected : candidates[0];
}

function entitiesOf(body: any): Record<string, unknown> {
  if (body.entities && typeof body.entities === 'object') return body.entities;
  const out: Record<string, unknown> = {};
  for (const value of Object.values(body.data ?? {}) as any[]) {
    if (value?.period?.key) out.period = value.period.key === 'custom' ? `custom:${value.period.label.replace(/^from (\S+) to (\S+)$/, '$1..$2')}` : value.period.key;
    if (value?.by) {
      out.metric = value.by;
      out.direction = value.direction ?? 'top';
    }
    if (value?.product?.name) out.product = value.product.name;
    if (typeof value?.days === 'number') out.days = value.days;
  }
  return out;
}

function entityProblems(expected: Record<string, string | number>, got: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const have = got[key];
    const ok = typeof want === 'number' ? Number(have) === want : key === 'location' ? String(have ?? '').toLowerCase().includes(String(want).toLowerCase()) : String(have ?? '').toLowerCase() === String(want).toLowerCase();
    if (!ok) problems.push(`entity ${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(have)}`);
  }
  return problems;
}

/** Figure checks per expected intent: the answer's data against the reference, and the key figure in the sentence. */
function figureProblems(item: HeldOut, body: any, ref: Reference): string[] {
  const p: string[] = [];
  const data = body.data ?? {};
  const text: string = body.response ?? '';
  const e = item.entities;
  const need = (cond: boolean, what: string) => {
    if (!cond) p.push(what);
  };
  const says = (s: string) => need(text.includes(s), `answer lacks "${s}"`);
  const period = String(e.period ?? 'this_month');
  switch (item.intent) {
    case 'top_products': {
      const r = data.top_products;
      if (!r) return ['no top_products data'];
      const metric = String(e.metric ?? 'units') as 'units' | 'revenue' | 'margin';
      const bottom = e.direction === 'bottom';
      const map = perProduct(ref, bounds(period, ref.now));
      let rows = [...map.entries()].map(([id, v]) => ({ id, ...v }));
      if (bottom) rows = activeProducts(ref).map((prod) => ({ id: prod.id, ...(map.get(prod.id) ?? { units: 0, revenue: 0, margin: 0 }) }));
      if (e.category) rows = rows.filter((row) => ref.products.find((prod) => prod.id === row.id)?.category === e.category);
      rows.sort((a, b) => (bottom ? a[metric] - b[metric] : b[metric] - a[metric]));
      const limit = Number(e.limit ?? 5);
      const expected = rows.slice(0, limit);
      need(r.products.length === expected.length, `expected ${expected.length} products, got ${r.products.length}`);
      for (const [i, row] of expected.entries()) need(r.products[i] && near(Number(r.products[i][metric]), row[metric]), `#${i + 1} ${metric}: ${r.products[i]?.[metric]} vs ${row[metric]}`);
      const first = r.products[0];
      if (first) {
        says(first.name);
        says(metric === 'units' ? `${int.format(first.units)} unit` : usd.format(first[metric]));
      }
      break;
    }
    case 'sales_total': {
      const b = bounds(period, ref.now);
      if (e.product) {
        const prod = byName(ref, String(e.product))!;
        const r = data.product_sales;
        if (!r) return ['no product_sales data'];
        const v = perProduct(ref, b).get(prod.id) ?? { units: 0, revenue: 0, margin: 0 };
        need(r.productId === prod.id, 'wrong product');
        need(r.units === v.units, `units ${r.units} vs ${v.units}`);
        need(near(r.revenue, v.revenue), `revenue ${r.revenue} vs ${v.revenue}`);
        says(`${int.format(v.units)} unit`);
        break;
      }
      if (e.category) {
        const r = data.revenue_by_category;
        if (!r) return ['no revenue_by_category data'];
        const ids = new Set(ref.products.filter((prod) => prod.category === e.category).map((prod) => prod.id));
        const want = within(ref.lines, b).filter((l) => ids.has(l.productId)).reduce((s, l) => s + l.revenue, 0);
        const got = r.categories.find((c: any) => c.category === e.category);
        need(got && near(got.revenue, want), `category revenue ${got?.revenue} vs ${want}`);
        if (got) says(usd.format(got.revenue));
        break;
      }
      const r = data.sales_summary;
      if (!r) return ['no sales_summary data'];
      const heads = within(ref.heads, b);
      const revenue = heads.reduce((s, h) => s + h.total, 0) / 100;
      const units = within(ref.lines, b).reduce((s, l) => s + l.quantity, 0);
      need(r.current.revenue === revenue, `revenue ${r.current.revenue} vs ${revenue}`);
      need(r.current.count === heads.length, `count ${r.current.count} vs ${heads.length}`);
      need(r.current.units === units, `units ${r.current.units} vs ${units}`);
      says(usd.format(revenue));
      break;
    }
    case 'sales_comparison': {
      const r = data.sales_summary;
      if (!r) return ['no sales_summary data'];
      const cur = within(ref.heads, bounds(period, ref.now)).reduce((s, h) => s + h.total, 0) / 100;
      const prev = within(ref.heads, previousBounds(period, ref.now)).reduce((s, h) => s + h.total, 0) / 100;
      need(r.current.revenue === cur, `current ${r.current.revenue} vs ${cur}`);
      need(r.previous.revenue === prev, `previous ${r.previous.revenue} vs ${prev}`);
      const pct = prev === 0 ? null : Math.round(((cur - prev) / prev) * 1000) / 10;
      need(r.change.revenuePct === pct, `change ${r.change.revenuePct} vs ${pct}`);
      says(usd.format(cur));
      says(usd.format(prev));
      break;
    }
    case 'sales_by_category': {
      const r = data.revenue_by_category;
      if (!r) return ['no revenue_by_category data'];
      const want = new Map<string, number>();
      for (const l of within(ref.lines, bounds(period, ref.now))) {
        const c = ref.products.find((prod) => prod.id === l.productId)!.category;
        want.set(c, (want.get(c) ?? 0) + l.revenue);
      }
      need(r.categories.length === want.size, `categories ${r.categories.length} vs ${want.size}`);
      for (const c of r.categories) need(near(c.revenue, want.get(c.category) ?? -1), `${c.category} ${c.revenue} vs ${want.get(c.category)}`);
      if (r.categories[0]) says(usd.format(r.categories[0].revenue));
      break;
    }
    case 'sales_by_supplier': {
      const r = data.revenue_by_supplier;
      if (!r) return ['no revenue_by_supplier data'];
      const want = new Map<number, number>();
      for (const l of within(ref.lines, bounds(period, ref.now))) {
        const s = ref.products.find((prod) => prod.id === l.productId)!.supplierId ?? 0;
        want.set(s, (want.get(s) ?? 0) + l.revenue);
      }
      for (const s of r.suppliers) need(near(s.revenue, want.get(s.supplierId ?? 0) ?? 0), `${s.name} ${s.revenue} vs ${want.get(s.supplierId ?? 0)}`);
      const top = [...want.entries()].sort((a, b) => b[1] - a[1])[0];
      need(r.suppliers[0] && r.suppliers[0].supplierId === top[0], 'top supplier');
      if (r.suppliers[0]) {
        says(r.suppliers[0].name);
        says(usd.format(r.suppliers[0].revenue));
      }
      break;
    }
    case 'product_count': {
      const r = data.product_count;
      if (!r) return ['no product_count data'];
      const mine = activeProducts(ref).filter((prod) => !e.category || prod.category === e.category);
      const inStock = mine.filter((prod) => prod.stock > 0).length;
      need(r.total === mine.length, `total ${r.total} vs ${mine.length}`);
      need(r.inStock === inStock, `in stock ${r.inStock} vs ${inStock}`);
      says(`${int.format(mine.length)} `);
      says(`${int.format(inStock)} `);
      break;
    }
    case 'product_stock':
    case 'days_of_cover': {
      const sold30 = soldSince(ref, 30);
      if (item.intent === 'days_of_cover' && !e.product) {
        const r = data.stock_runout;
        if (!r) return ['no stock_runout data'];
        const rows = activeProducts(ref)
          .filter((prod) => prod.stock > 0 && (sold30.get(prod.id) ?? 0) > 0)
          .map((prod) => Math.floor(prod.stock / (Math.round(((sold30.get(prod.id) ?? 0) / 30) * 100) / 100)))
          .sort((a, b) => a - b);
        need(r.products[0]?.daysOfCover === rows[0], `first cover ${r.products[0]?.daysOfCover} vs ${rows[0]}`);
        if (r.products[0]) says(r.products[0].name);
        break;
      }
      const r = data.product_stock;
      if (!r?.product) return ['no product_stock data'];
      const prod = byName(ref, String(e.product))!;
      need(r.product.productId === prod.id, `product ${r.product.name} vs ${prod.name}`);
      need(r.product.stock === prod.stock, `stock ${r.product.stock} vs ${prod.stock}`);
      const rate = Math.round(((sold30.get(prod.id) ?? 0) / 30) * 100) / 100;
      need(r.product.dailySalesRate === rate, `rate ${r.product.dailySalesRate} vs ${rate}`);
      const cover = rate > 0 ? Math.floor(prod.stock / rate) : null;
      need(r.product.daysOfCover === cover, `cover ${r.product.daysOfCover} vs ${cover}`);
      says(`${int.format(prod.stock)} unit`);
      if (item.intent === 'days_of_cover' && cover !== null && prod.stock > 0) says(`${int.format(cover)} day`);
      break;
    }
    case 'low_stock':
    case 'out_of_stock': {
      const r = data.low_stock;
      if (!r) return ['no low_stock data'];
      const act = activeProducts(ref);
      const out = act.filter((prod) => prod.stock <= 0);
      const low = act.filter((prod) => prod.stock > 0 && prod.stock <= prod.threshold);
      need(r.outOfStockCount === out.length, `out ${r.outOfStockCount} vs ${out.length}`);
      need(r.lowCount === low.length, `low ${r.lowCount} vs ${low.length}`);
      if (item.intent === 'out_of_stock') {
        for (const prod of out.slice(0, 6)) says(prod.name);
        if (!out.length) need(/nothing|no product/i.test(text), 'says none is out');
      } else {
        says(`${int.format(low.length)}`);
        for (const prod of [...out, ...low].sort((a, b) => a.stock - b.stock).slice(0, 3)) says(prod.name);
      }
      break;
    }
    case 'reorder': {
      const r = data.reorder_recommendations;
      if (!r) return ['no reorder_recommendations data'];
      const listed = new Set(r.recommendations.map((x: any) => x.productId));
      for (const prod of activeProducts(ref).filter((x) => x.stock <= x.threshold)) need(listed.has(prod.id), `low product ${prod.name} missing`);
      for (const x of r.recommendations) need(x.stock === ref.products.find((prod) => prod.id === x.productId)!.stock, `${x.name} stock`);
      if (r.recommendations[0]) says(`${r.recommendations[0].name}: order ${int.format(r.recommendations[0].recommendedQuantity)}`);
      break;
    }
    case 'stock_value': {
      const r = data.stock_valuation;
      if (!r) return ['no stock_valuation data'];
      const mine = activeProducts(ref).filter((prod) => !e.category || prod.category === e.category);
      const atCost = mine.reduce((s, prod) => s + cents(prod.stock * prod.cost), 0) / 100;
      const atPrice = mine.reduce((s, prod) => s + cents(prod.stock * prod.price), 0) / 100;
      const got = e.category ? r.categories.find((c: any) => c.category === e.category) : r;
      need(got && near(got.atCost, atCost), `at cost ${got?.atCost} vs ${atCost}`);
      need(got && near(got.atPrice, atPrice), `at price ${got?.atPrice} vs ${atPrice}`);
      if (got) says(usd.format(got.atCost));
      break;
    }
    case 'slow_movers':
    case 'dead_stock': {
      const r = data.slow_movers;
      if (!r) return ['no slow_movers data'];
      const days = Number(e.days ?? 60);
      need(r.days === days, `days ${r.days} vs ${days}`);
      const sold = soldSince(ref, days);
      const stocked = activeProducts(ref).filter((prod) => prod.stock > 0);
      const dead = stocked.filter((prod) => !sold.get(prod.id));
      const deadValue = dead.reduce((s, prod) => s + cents(prod.stock * prod.cost), 0) / 100;
      need(near(r.deadStockValue, deadValue), `dead value ${r.deadStockValue} vs ${deadValue}`);
      const slow = stocked.filter((prod) => (sold.get(prod.id) ?? 0) > 0 && (sold.get(prod.id) ?? 0) <= 5);
      need(r.slowMovers.length === Math.min(slow.length, 10), `slow ${r.slowMovers.length} vs ${slow.length}`);
      for (const s of r.slowMovers) need(s.unitsSold === sold.get(s.productId), `${s.name} sold ${s.unitsSold}`);
      if (item.intent === 'dead_stock') {
        if (dead.length) says(usd.format(deadValue));
      } else if (r.slowMovers[0]) says(r.slowMovers[0].name);
      else if (r.deadStock[0]) says(r.deadStock[0].name);
      break;
    }
    case 'purchases': {
      const r = data.purchases_in_period;
      if (!r) return ['no purchases_in_period data'];
      const supplier = e.supplier ? ref.suppliers.find((s) => s.name === e.supplier) : undefined;
      const rows = within(ref.purchases, bounds(period, ref.now)).filter((x) => !supplier || x.supplierId === supplier.id);
      const cost = rows.reduce((s, x) => s + x.cost, 0) / 100;
      need(r.count === rows.length, `count ${r.count} vs ${rows.length}`);
      need(near(r.cost, cost), `cost ${r.cost} vs ${cost}`);
      need(r.units === rows.reduce((s, x) => s + x.units, 0), 'units');
      if (rows.length) says(usd.format(cost));
      break;
    }
    case 'supplier_performance': {
      const r = data.supplier_performance;
      if (!r) return ['no supplier_performance data'];
      const rows = within(ref.purchases, bounds(period, ref.now));
      for (const s of r.suppliers) need(Math.round(s.spend * 100) === rows.filter((x) => x.supplierId === s.supplierId).reduce((a, x) => a + x.cost, 0), `${s.name} spend`);
      const slowest = [...ref.suppliers].sort((a, b) => b.leadTime - a.leadTime || a.id - b.id)[0];
      says(slowest.name);
      break;
    }
    case 'stock_by_location': {
      const r = data.stock_by_location;
      if (!r) return ['no stock_by_location data'];
      need(r.locations.length === ref.levels.length, `${r.locations.length} locations vs ${ref.levels.length}`);
      for (const l of r.locations) need(l.units === ref.levels.find((x) => x.code === l.code)?.units, `${l.code} units ${l.units}`);
      need(r.inTransit.units === ref.inTransit, `in transit ${r.inTransit.units} vs ${ref.inTransit}`);
      if (r.product?.found) {
        const prod = ref.products.find((x) => x.sku === r.product.sku)!;
        need(r.product.total === prod.stock, 'product total');
        for (const l of r.product.levels) need(l.quantity === (ref.levels.find((x) => x.code === l.code)?.byProduct.get(prod.id) ?? 0), `${prod.sku} at ${l.code}`);
        says(prod.name);
      } else if (r.location?.found) {
        says(r.location.name);
      } else if (item.entities?.location === 'in transit') {
        if (ref.inTransit) says(String(ref.inTransit));
      } else {
        for (const l of ref.levels) says(l.name);
      }
      break;
    }
    case 'none': {
      need(!/\d/.test(text), 'the answer states a number');
      need(Object.values(data).every((d: any) => d?.found === false), 'figures were looked up');
      break;
    }
    default:
      p.push(`no checker for ${item.intent}`);
  }
  return p;
}

export interface EvalRun {
  results: Scored[];
  intentAccuracy: number;
  fullAccuracy: number;
}

/** Starts the app on a fresh database, seeds it, asks every held-out question and scores the answers. */
export async function runEval(options: { app?: TestApp; set?: string } = {}): Promise<EvalRun> {
  const file = loadHeldOut(options.set);
  const app = options.app ?? (await startTestApp({ AI_RATE_LIMIT: '100000' }, { now: new Date(file.now) }));
  try {
    if (!options.app) {
      const { user } = await app.userWithRole('customer');
      await seedAiData(user.id);
    }
    const ref = await loadReference(new Date(file.now));
    const results: Scored[] = [];
    for (const item of file.questions) {
      const started = performance.now();
      const res = await app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question: item.q } });
      const ms = performance.now() - started;
      const body = res.body ?? {};
      const got = intentOf(body, item.intent);
      const intentOk = got === item.intent;
      const ents = entityProblems(item.entities, entitiesOf(body));
      const figs = res.status === 200 ? figureProblems(item, body, ref) : [`HTTP ${res.status}`];
      results.push({ q: item.q, expected: item.intent, got, intentOk, entitiesOk: !ents.length, figuresOk: !figs.length, correct: intentOk && !ents.length && !figs.length, problems: [...ents, ...figs], ms, response: String(body.response ?? '') });
    }
    const share = (n: number) => n / results.length;
    return { results, intentAccuracy: share(results.filter((r) => r.intentOk).length), fullAccuracy: share(results.filter((r) => r.correct).length) };
  } finally {
    if (!options.app) await app.close();
  }
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** Accuracy per intent, the confusion between intents, and every question answered wrongly. */
export function report(run: EvalRun): string {
  const out: string[] = [];
  const intents = [...new Set(run.results.map((r) => r.expected))];
  out.push(`Held-out questions: ${run.results.length}`);
  out.push(`Intent accuracy: ${pct(run.intentAccuracy)}   Fully correct (intent, entities, figures): ${pct(run.fullAccuracy)}`);
  out.push('');
  out.push(`${'intent'.padEnd(22)} ${'n'.padStart(3)} ${'intent'.padStart(7)} ${'correct'.padStart(8)}`);
  for (const intent of intents) {
    const mine = run.results.filter((r) => r.expected === intent);
    out.push(`${intent.padEnd(22)} ${String(mine.length).padStart(3)} ${pct(mine.filter((r) => r.intentOk).length / mine.length).padStart(7)} ${pct(mine.filter((r) => r.correct).length / mine.length).padStart(8)}`);
  }
  out.push('');
  out.push('Confusion (expected -> predicted: count):');
  const confusion = new Map<string, number>();
  for (const r of run.results.filter((x) => !x.intentOk)) confusion.set(`${r.expected} -> ${r.got}`, (confusion.get(`${r.expected} -> ${r.got}`) ?? 0) + 1);
  if (!confusion.size) out.push('  none');
  for (const [k, n] of [...confusion.entries()].sort((a, b) => b[1] - a[1])) out.push(`  ${k}: ${n}`);
  out.push('');
  out.push('Wrong answers:');
  const wrong = run.results.filter((r) => !r.correct);
  if (!wrong.length) out.push('  none');
  for (const r of wrong) out.push(`  [${r.expected} -> ${r.got}] ${r.q}\n      ${r.problems.join('; ')}\n      answer: ${r.response.slice(0, 200)}`);
  const times = run.results.map((r) => r.ms).sort((a, b) => a - b);
  out.push('');
  out.push(`HTTP round trip per question: p50 ${times[Math.floor(times.length / 2)].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  return out.join('\n');
}
