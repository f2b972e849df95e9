import { reportRows } from '../../db/index.js';
import { now as clockNow } from '../../shared/clock.js';
import { toCents } from '../../shared/money.js';
import { dayKey, daysCondition, pastDays, perEdge, splitRange, type RollupSplit } from './sales-rollups.js';

/**
 * Sales figures of a `[from, to)` range for the reports (dashboard, AI tools,
 * reorder rates, slow movers): whole days from the rollups, the partial days
 * at the edges from the base tables with the same expressions, so the result
 * is the aggregate over every line of the range. Each builder returns SQL to
 * embed as a subquery plus its replacements.
 */
export interface FigureSql {
  sql: string;
  replacements: Record<string, unknown>;
}

/** Sold lines (not cancelled) of the base tables in `:from`..`:to`, shaped like sales_rollup_products rows. */
const BASE_PRODUCT_LINES = `
  SELECT si.product_id AS product_id, si.quantity AS units, 0 AS order_units, 1 AS line_count, si.line_total AS line_total,
         CASE WHEN s.subtotal > 0 THEN si.line_total * 1.0 * s.total / s.subtotal ELSE 0 END AS revenue,
         CASE WHEN s.subtotal > 0 THEN si.line_total * 1.0 * (s.total - s.tax) / s.subtotal ELSE 0 END AS net_revenue,
         si.unit_cost * si.quantity AS sale_cost
    FROM sale_items si JOIN sales s ON s.id = si.sale_id
   WHERE s.status <> 'cancelled' AND s.created_at >= :from AND s.created_at < :to AND si.created_at >= :from AND si.created_at < :to
  UNION ALL
  SELECT oi.product_id, oi.quantity, oi.quantity, 1, oi.line_total,
         CASE WHEN o.subtotal > 0 THEN oi.line_total * 1.0 * o.total / o.subtotal ELSE 0 END,
         CASE WHEN o.subtotal > 0 THEN oi.line_total * 1.0 * (o.total - o.tax) / o.subtotal ELSE 0 END,
         0
    FROM order_items oi JOIN orders o ON o.id = oi.order_id
   WHERE o.status <> 'cancelled' AND o.created_at >= :from AND o.created_at < :to`;

const PRODUCT_COLUMNS = 'product_id, units, order_units, line_count, line_total, revenue, net_revenue, sale_cost';

function union(split: RollupSplit, rollup: (days: string) => string, base: string): FigureSql {
  const days = daysCondition(split);
  const edges = perEdge(split, base);
  const parts = [...(split.days ? [rollup(days.sql)] : []), ...(edges ? [edges.sql] : [])];
  return { sql: parts.length ? parts.join(' UNION ALL ') : rollup('1 = 0'), replacements: { ...days.replacements, ...(edges?.replacements ?? {}) } };
}

/**
 * Per product (`product_id`): units, order_units, lines, line_total (sum of
 * line totals), revenue (share of the tax-included totals), net_revenue (share
 * net of tax), sale_cost (unit cost x quantity of sale lines; order lines
 * carry none: order_units x the product's cost price). Only products with a
 * sold line. `products` narrows to these products.
 */
export async function productFiguresSql(from: Date, to: Date | undefined, timeZone: string, products?: number | readonly number[]): Promise<FigureSql> {
  return productFiguresOf(await splitRange(from, to, timeZone), products);
}

/** productFiguresSql() of a split range. */
export function productFiguresOf(split: RollupSplit, products?: number | readonly number[]): FigureSql {
  const ids = products === undefined ? undefined : [products].flat().map((id) => Math.trunc(id));
  const one = ids === undefined ? '' : ` AND product_id IN (${ids.length ? ids.join(',') : 'NULL'})`;
  const lines = union(split, (days) => `SELECT ${PRODUCT_COLUMNS} FROM sales_rollup_products WHERE ${days}${one}`, `SELECT * FROM (${BASE_PRODUCT_LINES}) b WHERE 1 = 1${one}`);
  return {
    sql: `SELECT product_id, SUM(units) AS units, SUM(order_units) AS order_units, SUM(line_count) AS line_count, SUM(line_total) AS line_total,
                 SUM(revenue) AS revenue, SUM(net_revenue) AS net_revenue, SUM(sale_cost) AS sale_cost
            FROM (${lines.sql}) sold GROUP BY product_id HAVING SUM(line_count) > 0`,
    replacements: lines.replacements,
  };
}

/** A product's sums over a range: units, line totals in cents, lines. */
export interface ProductSum {
  units: number;
  cents: number;
  lines: number;
}

/**
 * productFiguresOf()'s units, line totals and lines as a map (only products
 * with a sold line), for reports that rank in memory: the range's whole days
 * before today from the cache (pastDays: today's sales change only today's
 * rows, so they are aggregated once, until a past day changes on any
 * instance), today, the days after it and the partial days at the edges read
 * per call. `products` narrows what is read per call to these products.
 */
export async function productSums(split: RollupSplit, timeZone: string, products?: readonly number[]): Promise<Map<number, ProductSum>> {
  const { past, live } = await sumParts(split, timeZone, products);
  // A copy of the cached map sharing its entries: merged entries are new objects, the cached ones never change.
  const sums = new Map<number, ProductSum>(past);
  for (const [id, sum] of live) sums.set(id, plus(sums.get(id), sum));
  for (const [id, sum] of sums) if (sum.lines <= 0) sums.delete(id);
  return sums;
}

/** Best sellers first: units, then line totals, then id. */
const byRank = ([a, x]: [number, ProductSum], [b, y]: [number, ProductSum]) => y.units - x.units || y.cents - x.cents || a - b;

/** The cached past days' products ranked once per cached map (it never changes; a new one replaces it). */
const rankedPast = new WeakMap<Map<number, ProductSum>, [number, ProductSum][]>();

/**
 * The first `limit` of productSums() in byRank order, without ranking every
 * product per call: the past days are ranked once per cached map, and only
 * the products read per call (today's, the edges') can move, so the winners
 * are among them and the first `limit` others of that ranking.
 */
export async function topProductSums(split: RollupSplit, timeZone: string, limit: number): Promise<[number, ProductSum][]> {
  const { past, live } = await sumParts(split, timeZone);
  let ranked = rankedPast.get(past);
  if (!ranked) rankedPast.set(past, (ranked = [...past].filter(([, sum]) => sum.lines > 0).sort(byRank)));
  const candidates: [number, ProductSum][] = [];
  for (const entry of ranked) {
    if (candidates.length >= limit) break;
    if (!live.has(entry[0])) candidates.push(entry);
  }
  for (const [id, sum] of live) {
    const merged = plus(past.get(id), sum);
    if (merged.lines > 0) candidates.push([id, merged]);
  }
  return candidates.sort(byRank).slice(0, limit);
}

const plus = (a: ProductSum | undefined, b: ProductSum): ProductSum => (a ? { units: a.units + b.units, cents: a.cents + b.cents, lines: a.lines + b.lines } : b);

/** productSums() in two parts: the whole past days (cached, shared: never changed) and what is read per call. */
async function sumParts(split: RollupSplit, timeZone: string, products?: readonly number[]): Promise<{ past: Map<number, ProductSum>; live: Map<number, ProductSum> }> {
  const today = dayKey(clockNow(), timeZone);
  const days = split.days;
  const throughToday = Boolean(days && (days.endDay === undefined || days.endDay > today));
  const pastEnd = throughToday ? today : days?.endDay;
  const past =
    days && pastEnd && days.firstDay < pastEnd
      ? await pastDays.get(`${timeZone}|${days.firstDay}|${pastEnd}`, async () => {
          const rows = await reportRows<{ product_id: unknown; units: unknown; line_total: unknown; line_count: unknown }>(
            `SELECT product_id, SUM(units) AS units, SUM(line_total) AS line_total, SUM(line_count) AS line_count
               FROM sales_rollup_products WHERE day >= :firstDay AND day < :pastEnd GROUP BY product_id`,
            { firstDay: days.firstDay, pastEnd },
          );
          return new Map(rows.map((r) => [Number(r.product_id), { units: Number(r.units), cents: toCents(r.line_total as string), lines: Number(r.line_count) }]));
        })
      : new Map<number, ProductSum>();
  const liveDays = days && throughToday ? { firstDay: days.firstDay > today ? days.firstDay : today, endDay: days.endDay } : null;
  const live = new Map<number, ProductSum>();
  if (liveDays || split.edges.length) {
    const figures = productFiguresOf({ days: liveDays, edges: split.edges }, products);
    const rows = await reportRows<{ product_id: unknown; units: unknown; line_total: unknown; line_count: unknown }>(`SELECT product_id, units, line_total, line_count FROM (${figures.sql}) t`, figures.replacements);
    for (const r of rows) live.set(Number(r.product_id), plus(live.get(Number(r.product_id)), { units: Number(r.units), cents: toCents(r.line_total as string), lines: Number(r.line_count) }));
  }
  return { past, live };
}

/**
 * Per product: units and lines only (sales rates), over the same rows as
 * productFiguresSql(): fewer sums and narrower rows to gather than all its
 * figures. Only products with a sold line.
 */
export async function productUnitsSql(from: Date, to: Date | undefined, timeZone: string): Promise<FigureSql> {
  const split = await splitRange(from, to, timeZone);
  const lines = union(split, (days) => `SELECT product_id, units, line_count FROM sales_rollup_products WHERE ${days}`, `SELECT product_id, units, line_count FROM (${BASE_PRODUCT_LINES}) b`);
  return { sql: `SELECT product_id, SUM(units) AS units, SUM(line_count) AS line_count FROM (${lines.sql}) sold GROUP BY product_id HAVING SUM(line_count) > 0`, replacements: lines.replacements };
}

/** Per category of the products' current category: units, revenue share (categories with a sold line). */
export async function categoryFiguresSql(from: Date, to: Date, timeZone: string): Promise<FigureSql> {
  const split = await splitRange(from, to, timeZone);
  const rows = union(
    split,
    (days) => `SELECT category, units, line_count, revenue FROM sales_rollup_categories WHERE ${days}`,
    `SELECT p.category, b.units, b.line_count, b.revenue FROM (${BASE_PRODUCT_LINES}) b JOIN products p ON p.id = b.product_id`,
  );
  return { sql: `SELECT category, SUM(units) AS units, SUM(revenue) AS revenue FROM (${rows.sql}) sold GROUP BY category HAVING SUM(line_count) > 0`, replacements: rows.replacements };
}

/** Per supplier of the products' current supplier (`supplier_id` 0: none): units, revenue share. */
export async function supplierFiguresSql(from: Date, to: Date, timeZone: string): Promise<FigureSql> {
  const split = await splitRange(from, to, timeZone);
  const rows = union(
    split,
    (days) => `SELECT supplier_id, units, line_count, revenue FROM sales_rollup_suppliers WHERE ${days}`,
    `SELECT COALESCE(p.supplier_id, 0) AS supplier_id, b.units, b.line_count, b.revenue FROM (${BASE_PRODUCT_LINES}) b JOIN products p ON p.id = b.product_id`,
  );
  return { sql: `SELECT supplier_id, SUM(units) AS units, SUM(revenue) AS revenue FROM (${rows.sql}) sold GROUP BY supplier_id HAVING SUM(line_count) > 0`, replacements: rows.replacements };
}

const BASE_TOTALS = `
  SELECT COUNT(*) AS documents, 0 AS units, COALESCE(SUM(total), 0) AS revenue FROM sales WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to
  UNION ALL SELECT COUNT(*), 0, COALESCE(SUM(total), 0) FROM orders WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to
  UNION ALL SELECT 0, COALESCE(SUM(b.units), 0), 0 FROM (${BASE_PRODUCT_LINES}) b`;

/** One row: documents (sales and orders not cancelled), units, revenue (sum of tax-included totals). */
export async function totalsSql(from: Date, to: Date, timeZone: string): Promise<FigureSql> {
  const split = await splitRange(from, to, timeZone);
  const rows = union(split, (days) => `SELECT documents, units, revenue FROM sales_rollup_days WHERE ${days}`, BASE_TOTALS);
  return { sql: `SELECT COALESCE(SUM(documents), 0) AS documents, COALESCE(SUM(units), 0) AS units, COALESCE(SUM(revenue), 0) AS revenue FROM (${rows.sql}) t`, replacements: rows.replacements };
}
