import { z } from '../../shared/zod.js';
import { toMoney } from '../../shared/money.js';
import { findProduct } from './stock.tools.js';
import { describeRange, periodArgs, previousPeriod, resolvePeriod } from './periods.js';
import { changePct, defineTool, round1, select } from './tool.js';
import { categoryFiguresSql, productFiguresSql, supplierFiguresSql, totalsSql } from '../analytics/sales-figures.js';

const RangeSchema = z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() });

const ProductFigure = z.object({
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  units: z.number(),
  revenue: z.number(),
  margin: z.number(),
});

const METRICS = ['units', 'revenue', 'margin'] as const;

export const topProducts = defineTool({
  name: 'top_products',
  description:
    'Products ranked in a period by units sold, revenue (tax included) or gross margin (revenue net of tax minus cost), best first or (direction bottom) worst first; bottom rankings include active products that sold nothing. Optionally within one category. Sales and storefront orders, cancelled ones excluded.',
  args: z.object({
    ...periodArgs,
    by: z.enum(METRICS).default('units').describe('Rank by units sold, revenue or gross margin'),
    direction: z.enum(['top', 'bottom']).default('top').describe('top: best first; bottom: worst first'),
    category: z.string().trim().min(1).max(100).optional().describe('Only products of this category'),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  result: z.object({ period: RangeSchema, by: z.enum(METRICS), direction: z.enum(['top', 'bottom']), category: z.string().nullable(), products: z.array(ProductFigure) }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const dir = args.direction === 'bottom' ? 'ASC' : 'DESC';
    const order = { units: `units ${dir}, revenue ${dir}`, revenue: `revenue ${dir}, units ${dir}`, margin: `margin ${dir}, revenue ${dir}` }[args.by];
    const sold = await productFiguresSql(range.from, range.to, ctx.settings.timezone);
    // Gross margin: net revenue less the sale lines' recorded cost and the order lines' units at the product's cost price.
    const margin = 't.net_revenue - t.sale_cost - t.order_units * p.cost_price';
    const category = args.category ? 'AND LOWER(p.category) = LOWER(:category)' : '';
    const rows = await select<Record<string, string | number | null>>(
      args.direction === 'bottom'
        ? `SELECT p.id, p.sku, p.name, p.category, COALESCE(t.units, 0) AS units, COALESCE(t.revenue, 0) AS revenue, COALESCE(${margin}, 0) AS margin
           FROM products p LEFT JOIN (${sold.sql}) t ON t.product_id = p.id
           WHERE p.archived_at IS NULL ${category}
           ORDER BY ${order}, p.id LIMIT ${args.limit}`
        : `SELECT p.id, p.sku, p.name, p.category, t.units, t.revenue, ${margin} AS margin
           FROM (${sold.sql}) t JOIN products p ON p.id = t.product_id
           WHERE 1 = 1 ${category}
           ORDER BY ${order}, p.id LIMIT ${args.limit}`,
      { ...sold.replacements, category: args.category ?? null },
    );
    return {
      period: describeRange(range),
      by: args.by,
      direction: args.direction,
      category: args.category ?? null,
      products: rows.map((r) => ({
        productId: Number(r.id),
        sku: String(r.sku),
        name: String(r.name),
        category: String(r.category),
        units: Number(r.units),
        revenue: toMoney(r.revenue),
        margin: toMoney(r.margin),
      })),
    };
  },
});

const Totals = z.object({ revenue: z.number(), units: z.number(), count: z.number() });

/** Revenue (tax-included totals), documents and units of sales plus orders in a range. */
async function totals(from: Date, to: Date, timeZone: string) {
  const figures = await totalsSql(from, to, timeZone);
  const [row] = await select<Record<string, string | number | null>>(figures.sql, figures.replacements);
  return { revenue: toMoney(row.revenue), units: Number(row.units), count: Number(row.documents) };
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
    const [current, previous] = await Promise.all([totals(range.from, range.to, ctx.settings.timezone), totals(before.from, before.to, ctx.settings.timezone)]);
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
    const sold = await categoryFiguresSql(range.from, range.to, ctx.settings.timezone);
    const rows = await select<Record<string, string | number>>(`SELECT category, units, revenue FROM (${sold.sql}) c ORDER BY revenue DESC, category`, sold.replacements);
    const categories = rows.map((r) => ({ category: String(r.category), revenue: toMoney(r.revenue), units: Number(r.units) }));
    const total = toMoney(categories.reduce((sum, c) => sum + Math.round(c.revenue * 100), 0) / 100);
    return {
      period: describeRange(range),
      total,
      categories: categories.map((c) => ({ ...c, sharePct: total > 0 ? round1((c.revenue / total) * 100) : 0 })),
    };
  },
});

export const productSales = defineTool({
  name: 'product_sales',
  description: 'Units sold, revenue (tax included) and number of sales of one product (found by name or SKU, fuzzy) in a period.',
  args: z.object({ ...periodArgs, query: z.string().trim().min(1).max(100).describe('Product name, part of it, or SKU') }),
  result: z.object({
    period: RangeSchema,
    query: z.string(),
    found: z.boolean(),
    productId: z.number().nullable(),
    sku: z.string().nullable(),
    name: z.string().nullable(),
    units: z.number(),
    revenue: z.number(),
    sales: z.number(),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const match = await findProduct(args.query);
    const base = { period: describeRange(range), query: args.query };
    if (!match.product) return { ...base, found: false, productId: null, sku: null, name: null, units: 0, revenue: 0, sales: 0 };
    const sold = await productFiguresSql(range.from, range.to, ctx.settings.timezone, match.product.id);
    const [row] = await select<Record<string, string | number | null>>(
      `SELECT COALESCE(SUM(l.units), 0) AS units, COALESCE(SUM(l.revenue), 0) AS revenue, COALESCE(SUM(l.line_count), 0) AS n FROM (${sold.sql}) l`,
      sold.replacements,
    );
    return { ...base, found: true, productId: match.product.id, sku: match.product.sku, name: match.product.name, units: Number(row.units), revenue: toMoney(row.revenue), sales: Number(row.n) };
  },
});

export const revenueBySupplier = defineTool({
  name: 'revenue_by_supplier',
  description: "Revenue (tax included) and units sold per supplier of the products sold in a period, with each supplier's share of revenue.",
  args: z.object({ ...periodArgs }),
  result: z.object({
    period: RangeSchema,
    total: z.number(),
    suppliers: z.array(z.object({ supplierId: z.number().nullable(), name: z.string(), revenue: z.number(), units: z.number(), sharePct: z.number() })),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const sold = await supplierFiguresSql(range.from, range.to, ctx.settings.timezone);
    const rows = await select<Record<string, string | number | null>>(
      `SELECT NULLIF(f.supplier_id, 0) AS supplier_id, s.name, f.units, f.revenue
       FROM (${sold.sql}) f LEFT JOIN suppliers s ON s.id = f.supplier_id
       ORDER BY revenue DESC, NULLIF(f.supplier_id, 0)`,
      sold.replacements,
    );
    const suppliers = rows.map((r) => ({
      supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
      name: r.name === null ? 'No supplier' : String(r.name),
      revenue: toMoney(r.revenue),
      units: Number(r.units),
    }));
    const total = toMoney(suppliers.reduce((sum, c) => sum + Math.round(c.revenue * 100), 0) / 100);
    return { period: describeRange(range), total, suppliers: suppliers.map((c) => ({ ...c, sharePct: total > 0 ? round1((c.revenue / total) * 100) : 0 })) };
  },
});
