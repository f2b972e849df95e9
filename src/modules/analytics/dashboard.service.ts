import { onStockCommitted } from '../inventory/inventory.service.js';
import { centsSum, readSnapshot, reportReads, reportRows } from '../../db/index.js';
import { fromCents } from '../../shared/money.js';
import { thresholdSql } from '../inventory/low-stock.service.js';
import { getSettings } from '../settings/settings.service.js';
import type { Settings } from '../settings/settings.schemas.js';
import { Setting } from '../settings/setting.model.js';
import { ReadCache } from '../../shared/read-cache.js';
import { Sale } from '../sales/sale.model.js';
import { Order } from '../storefront/storefront.models.js';
import { Product } from '../products/product.model.js';
import { Purchase } from '../purchases/purchase.model.js';
import { Location } from '../locations/location.model.js';
import { stockValueByLocation, type LocationStock } from '../locations/location.service.js';
import { lastMonths, type Period } from './periods.js';
import { productFiguresOf, topProductSums } from './sales-figures.js';
import { dayKey, splitRange, type RollupSplit } from './sales-rollups.js';
import { now as clockNow } from '../../shared/clock.js';

export interface DashboardStats {
  totalProducts: number;
  totalStockUnits: number;
  stockValue: number;
  stockByLocation: LocationStock[];
  inTransit: { units: number; value: number };
  lowStockCount: number;
  outOfStockCount: number;
  salesThisMonth: { count: number; revenue: number; units: number };
  purchasesThisMonth: { count: number; cost: number };
  monthlySales: { month: string; revenue: number; units: number }[];
  topProducts: TopProduct[];
}


export interface TopProduct {
  productId: number;
  name: string;
  units: number;
  revenue: number;
}

export const TOP_PRODUCTS_DAYS = 30;
const num = (v: unknown) => Number(v ?? 0);
const select = reportRows;

/** Revenue documents: non-cancelled sales and storefront orders (total = tax included). */
const DOCUMENTS = `
  SELECT created_at, total FROM sales WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to
  UNION ALL
  SELECT created_at, total FROM orders WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to`;

/**
 * Their lines, dated by the document (a line carries its document's date), read
 * from the covering date index; lines of the period's cancelled documents are
 * left out by an anti-join against that small set.
 */
const LINES = `
  SELECT i.created_at, i.product_id, i.quantity, i.line_total
    FROM sale_items i
    LEFT JOIN (SELECT id FROM sales WHERE status = 'cancelled' AND created_at >= :from AND created_at < :to) cancelled ON cancelled.id = i.sale_id
   WHERE cancelled.id IS NULL AND i.created_at >= :from AND i.created_at < :to
  UNION ALL
  SELECT d.created_at, i.product_id, i.quantity, i.line_total
    FROM order_items i JOIN orders d ON d.id = i.order_id
   WHERE d.status <> 'cancelled' AND d.created_at >= :from AND d.created_at < :to`;

/** `CASE WHEN created_at < :b1 THEN 0 WHEN ... ELSE n-1 END`: the month index, the same SQL on both databases. */
function bucketSql(periods: Period[]): { sql: string; replacements: Record<string, Date> } {
  const replacements: Record<string, Date> = {};
  const whens = periods.slice(1).map((p, i) => {
    replacements[`b${i}`] = p.start;
    return `WHEN created_at < :b${i} THEN ${i}`;
  });
  return { sql: `CASE ${whens.join(' ')} ELSE ${periods.length - 1} END`, replacements };
}

async function stockFigures(shopDefault: number) {
  const [row] = await select<Record<string, unknown>>(
    `SELECT COUNT(*) AS products, SUM(p.stock) AS units, ${centsSum('p.stock', 'p.cost_price')} AS cost_cents,
            SUM(CASE WHEN p.stock <= ${thresholdSql(shopDefault)} THEN 1 ELSE 0 END) AS low,
            SUM(CASE WHEN p.stock = 0 THEN 1 ELSE 0 END) AS out_of_stock
       FROM products p WHERE p.archived_at IS NULL`,
  );
  return row;
}

/**
 * Revenue, document count and units per calendar month of `timeZone`, oldest
 * first, months without sales included: from the per-day rollups when they
 * are in that zone, else from the base tables.
 */
export async function monthlySales(periods: Period[], timeZone: string) {
  const whole = await splitRange(periods[0].start, periods[periods.length - 1].end, timeZone);
  if (whole.days && !whole.edges.length) {
    const rows = await select<{ month: string; documents: unknown; cents: unknown; units: unknown }>(
      `SELECT SUBSTR(day, 1, 7) AS month, SUM(documents) AS documents, ROUND(SUM(revenue) * 100) AS cents, SUM(units) AS units
         FROM sales_rollup_days WHERE day >= :first AND day < :end GROUP BY SUBSTR(day, 1, 7)`,
      { first: whole.days.firstDay, end: whole.days.endDay },
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return periods.map((period) => {
      const row = byMonth.get(period.key);
      return { month: period.key, count: num(row?.documents), revenue: fromCents(num(row?.cents)), units: num(row?.units) };
    });
  }
  const range = { from: periods[0].start, to: periods[periods.length - 1].end };
  const bucket = bucketSql(periods);
  const [documents, lines] = await Promise.all([
    select<{ bucket: unknown; documents: unknown; cents: unknown }>(
      `SELECT ${bucket.sql} AS bucket, COUNT(*) AS documents, SUM(ROUND(total * 100)) AS cents FROM (${DOCUMENTS}) sold_docs GROUP BY ${bucket.sql}`,
      { ...range, ...bucket.replacements },
    ),
    select<{ bucket: unknown; units: unknown }>(
      `SELECT ${bucket.sql} AS bucket, SUM(quantity) AS units FROM (${LINES}) sold_lines GROUP BY ${bucket.sql}`,
      { ...range, ...bucket.replacements },
    ),
  ]);
  return periods.map((period, index) => {
    const doc = documents.find((r) => num(r.bucket) === index);
    const line = lines.find((r) => num(r.bucket) === index);
    return { month: period.key, count: num(doc?.documents), revenue: fromCents(num(doc?.cents)), units: num(line?.units) };
  });
}

/** Best sellers by units (then revenue = sum of line totals) between `from` and `to`: whole days from the sales rollups. */
export async function topProducts(options: { from: Date; to: Date; timeZone: string; limit?: number }): Promise<TopProduct[]> {
  const split = await splitRange(options.from, options.to, options.timeZone);
  const today = dayKey(clockNow(), options.timeZone);
  if (split.days && split.days.firstDay < today && (!split.days.endDay || split.days.endDay > today)) return topProductsAroundToday(split, options);
  const sold = productFiguresOf(split);
  const rows = await select<{ product_id: unknown; name: string; units: unknown; cents: unknown }>(
    `SELECT t.product_id, p.name, t.units, ROUND(t.line_total * 100) AS cents
       FROM (${sold.sql}) t
       JOIN products p ON p.id = t.product_id
      ORDER BY t.units DESC, cents DESC, t.product_id ASC
      LIMIT ${Math.trunc(options.limit ?? 5)}`,
    sold.replacements,
  );
  return rows.map((r) => ({ productId: num(r.product_id), name: r.name, units: num(r.units), revenue: fromCents(num(r.cents)) }));
}

/**
 * topProducts() of a range of past days through today: the sums in memory
 * (the past days cached and ranked once, see topProductSums), in the same
 * order as the SQL (units, then revenue, then id).
 */
async function topProductsAroundToday(split: RollupSplit, options: { timeZone: string; limit?: number }): Promise<TopProduct[]> {
  const best = await topProductSums(split, options.timeZone, Math.trunc(options.limit ?? 5));
  if (!best.length) return [];
  const names = await select<{ id: unknown; name: string }>(`SELECT id, name FROM products WHERE id IN (${best.map(([id]) => id).join(',')})`);
  const nameOf = new Map(names.map((r) => [num(r.id), r.name]));
  return best.filter(([id]) => nameOf.has(id)).map(([id, s]) => ({ productId: id, name: nameOf.get(id)!, units: s.units, revenue: fromCents(s.cents) }));
}

async function purchasesIn(period: Period) {
  const [row] = await select<{ purchases: unknown; cents: unknown }>(
    `SELECT COUNT(*) AS purchases, SUM(ROUND(total_cost * 100)) AS cents FROM purchases
      WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to`,
    { from: period.start, to: period.end },
  );
  return { count: num(row?.purchases), cost: fromCents(num(row?.cents)) };
}

/**
 * The dashboard figures (REST, AdminJS dashboard and AI share them). "This
 * month" is the calendar month in settings.timezone; topProducts covers the
 * last 30 days so it is never empty on the 1st.
 */
export async function dashboardStats(now = clockNow()): Promise<DashboardStats> {
  const settings = await getSettings();
  // Report figures: from a replica when DATABASE_READ_URLS has one.
  return statsCache.get(`${settings.timezone}:${Math.floor(now.getTime() / 60_000)}`, () => reportReads(() => computeStats(now, settings)));
}

/**
 * The figures, kept until the next committed write to what they count on any
 * instance (the shared generation, see ReadCache): a year of history is aggregated
 * once, not on every dashboard load.
 */
const statsCache = new ReadCache<DashboardStats>({ name: 'dashboardStats', max: 20, ttlMs: 2_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchDashboardWrites(): void {
  statsCache.clear();
  statsCache.watch(Sale, Order, Product, Purchase, Setting, Location);
  onStockCommitted(invalidateStats);
}

const invalidateStats = () => statsCache.invalidate();

async function computeStats(now: Date, settings: Settings): Promise<DashboardStats> {
  const months = lastMonths(12, now, settings.timezone);
  const thisMonth = months[months.length - 1];
  const [{ stock, places }, monthly, purchases, top] = await Promise.all([
    // The stock per location is the products' totals less what the other places hold: one snapshot for both.
    readSnapshot(async () => {
      const stock = await stockFigures(settings.lowStockThreshold);
      return { stock, places: await stockValueByLocation({ units: num(stock.units), costCents: num(stock.cost_cents) }) };
    }),
    monthlySales(months, settings.timezone),
    purchasesIn(thisMonth),
    topProducts({ from: new Date(now.getTime() - TOP_PRODUCTS_DAYS * 86_400_000), to: thisMonth.end, timeZone: settings.timezone }),
  ]);
  const current = monthly[monthly.length - 1];
  return {
    totalProducts: num(stock.products),
    totalStockUnits: num(stock.units),
    stockValue: fromCents(num(stock.cost_cents)),
    stockByLocation: places.locations,
    inTransit: places.inTransit,
    lowStockCount: num(stock.low),
    outOfStockCount: num(stock.out_of_stock),
    salesThisMonth: { count: current.count, revenue: current.revenue, units: current.units },
    purchasesThisMonth: purchases,
    monthlySales: monthly.map(({ month, revenue, units }) => ({ month, revenue, units })),
    topProducts: top,
  };
}
