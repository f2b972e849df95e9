import { z } from '../../shared/zod.js';
import { toMoney } from '../../shared/money.js';
import { describeRange, periodArgs, previousPeriod, resolvePeriod } from './periods.js';
import { changePct, defineTool, round1, select, SOLD_LINES } from './tool.js';

const RangeSchema = z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() });

const ProductFigure = z.object({
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  units: z.number(),
  revenue: z.number(),
});

export const topProducts = defineTool({
  name: 'top_products',
  description: 'Best-selling products in a period, ranked by units sold or by revenue (sales and storefront orders, cancelled ones excluded).',
  args: z.object({
    ...periodArgs,
    by: z.enum(['units', 'revenue']).default('units').describe('Rank by units sold or by revenue'),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  result: z.object({ period: RangeSchema, by: z.enum(['units', 'revenue']), products: z.array(ProductFigure) }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const order = args.by === 'revenue' ? 'revenue DESC, units DESC' : 'units DESC, revenue DESC';
    const rows = await select<Record<string, string | number>>(
      `SELECT p.id, p.sku, p.name, p.category, SUM(l.quantity) AS units, SUM(l.revenue) AS revenue
       FROM (${SOLD_LINES}) l JOIN products p ON p.id = l.product_id
       GROUP BY p.id, p.sku, p.name, p.category
       ORDER BY ${order}, p.id LIMIT ${args.limit}`,
      { from: range.from, to: range.to },
    );
    return {
      period: describeRange(range),
      by: args.by,
      products: rows.map((r) => ({
        productId: Number(r.id),
        sku: String(r.sku),
        name: String(r.name),
        category: String(r.category),
        units: Number(r.units),
        revenue: toMoney(r.revenue),
      })),
    };
  },
});

const Totals = z.object({ revenue: z.number(), units: z.number(), count: z.number() });

/** Revenue (tax-included totals), documents and units of sales plus orders in a range. */
async function totals(from: Date, to: Date) {
  const [row] = await select<Record<string, string | number | null>>(
    `SELECT
       (SELECT COALESCE(SUM(total), 0) FROM sales WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to) AS sales_revenue,
       (SELECT COUNT(*) FROM sales WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to) AS sales_count,
       (SELECT COALESCE(SUM(total), 0) FROM orders WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to) AS order_revenue,
       (SELECT COUNT(*) FROM orders WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to) AS order_count,
       (SELECT COALESCE(SUM(l.quantity), 0) FROM (${SOLD_LINES}) l) AS units`,
    { from, to },
  );
  return {
    revenue: toMoney(toMoney(row.sales_revenue) + toMoney(row.order_revenue)),
    units: Number(row.units),
    count: Number(row.sales_count) + Number(row.order_count),
  };
}

export const salesSummary = defineTool({
  name: 'sales_summary',
  description: 'Revenue (tax included), units and number of sales in a period, compared with the previous equal period (change in percent).',
  args: z.object({ ...periodArgs }),
  result: z.object({
    period: RangeSchema,
    current: Totals,
    previousPeriod: RangeSchema,
    previous: Totals,
    change: z.object({ revenuePct: z.number().nullable(), unitsPct: z.number().nullable(), countPct: z.number().nullable() }),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const before = previousPeriod(range, ctx.settings.timezone);
    const [current, previous] = await Promise.all([totals(range.from, range.to), totals(before.from, before.to)]);
    return {
      period: describeRange(range),
      current,
      previousPeriod: describeRange(before),
      previous,
      change: {
        revenuePct: changePct(current.revenue, previous.revenue),
        unitsPct: changePct(current.units, previous.units),
        countPct: changePct(current.count, previous.count),
      },
    };
  },
});

export const revenueByCategory = defineTool({
  name: 'revenue_by_category',
  description: 'Revenue and units per product category in a period, with each category share of revenue.',
  args: z.object({ ...periodArgs }),
  result: z.object({
    period: RangeSchema,
    total: z.number(),
    categories: z.array(z.object({ category: z.string(), revenue: z.number(), units: z.number(), sharePct: z.number() })),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const rows = await select<Record<string, string | number>>(
      `SELECT p.category, SUM(l.quantity) AS units, SUM(l.revenue) AS revenue
       FROM (${SOLD_LINES}) l JOIN products p ON p.id = l.product_id
       GROUP BY p.category ORDER BY revenue DESC, p.category`,
      { from: range.from, to: range.to },
    );
    const categories = rows.map((r) => ({ category: String(r.category), revenue: toMoney(r.revenue), units: Number(r.units) }));
    const total = toMoney(categories.reduce((sum, c) => sum + Math.round(c.revenue * 100), 0) / 100);
    return {
      period: describeRange(range),
      total,
      categories: categories.map((c) => ({ ...c, sharePct: total > 0 ? round1((c.revenue / total) * 100) : 0 })),
    };
  },
});
