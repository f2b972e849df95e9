import { z } from '../../shared/zod.js';
import { toMoney } from '../../shared/money.js';
import { matchProduct, type Match } from './product-match.js';
import { ReadCache } from '../../shared/read-cache.js';
import { Product } from '../products/product.model.js';
import type { CatalogProduct } from './nlu/entities.js';
import { thresholdSql } from '../inventory/low-stock.service.js';
import { dailyRate, daysOfCover, defineTool, RATE_WINDOW_DAYS, select, unitsSoldSince, type ToolContext } from './tool.js';

export interface ActiveProduct {
  id: number;
  sku: string;
  name: string;
  category: string;
  stock: number;
  threshold: number;
  reorderQuantity: number | null;
  costPrice: number;
  price: number;
  supplierName: string | null;
  leadTimeDays: number | null;
}

/** Out of stock, or at/below the product's threshold (its own, else the shop's), over `products p`. */
const lowSql = (ctx: ToolContext) => `(p.stock <= 0 OR p.stock <= ${thresholdSql(ctx.settings.lowStockThreshold)})`;

/**
 * Active (not archived) products with what stock questions need; no supplier contact data.
 * `lowOnly`: only those out of stock or at/below their threshold; `ids`: only these.
 */
export async function activeProducts(ctx: ToolContext, options: { lowOnly?: boolean; ids?: readonly number[] } = {}): Promise<ActiveProduct[]> {
  if (options.ids && !options.ids.length) return [];
  const where = [options.lowOnly ? `AND ${lowSql(ctx)}` : '', options.ids ? `AND p.id IN (${options.ids.map((id) => Math.trunc(id)).join(',')})` : ''].join(' ');
  const rows = await select<Record<string, string | number | null>>(
    `SELECT p.id, p.sku, p.name, p.category, p.stock, p.low_stock_threshold, p.reorder_quantity, p.cost_price, p.price,
            s.name AS supplier_name, s.lead_time_days
     FROM products p LEFT JOIN suppliers s ON s.id = p.supplier_id
     WHERE p.archived_at IS NULL ${where} ORDER BY p.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    sku: String(r.sku),
    name: String(r.name),
    category: String(r.category),
    stock: Number(r.stock),
    threshold: r.low_stock_threshold === null ? ctx.settings.lowStockThreshold : Number(r.low_stock_threshold),
    reorderQuantity: r.reorder_quantity === null ? null : Number(r.reorder_quantity),
    costPrice: toMoney(r.cost_price),
    price: toMoney(r.price),
    supplierName: r.supplier_name === null ? null : String(r.supplier_name),
    leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days),
  }));
}

/**
 * The active products' names (what questions name a product by), kept until
 * a product write on any instance (the shared generation, see ReadCache):
 * sales change stock, not names, so a lookup matches here and reads only the
 * product it found.
 */
const namesCache = new ReadCache<CatalogProduct[]>({ name: 'aiProductNames', max: 1, ttlMs: 10 * 60_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchProductNames(): void {
  namesCache.clear();
  namesCache.watch(Product);
}

export function productNames(): Promise<CatalogProduct[]> {
  return namesCache.get('names', async () => {
    const rows = await select<{ id: unknown; sku: string; name: string; category: string }>('SELECT id, sku, name, category FROM products WHERE archived_at IS NULL ORDER BY id');
    return rows.map((r) => ({ id: Number(r.id), sku: String(r.sku), name: String(r.name), category: String(r.category) }));
  });
}

/** The active product a phrase names (matchProduct over the names). */
export async function findProduct(query: string): Promise<Match<CatalogProduct>> {
  return matchProduct(query, await productNames());
}

export const stockStatus = (p: { stock: number; threshold: number }): 'ok' | 'low' | 'out' => (p.stock <= 0 ? 'out' : p.stock <= p.threshold ? 'low' : 'ok');

const StockFigure = z.object({
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  stock: z.number(),
  threshold: z.number(),
  status: z.enum(['ok', 'low', 'out']),
  dailySalesRate: z.number(),
  daysOfCover: z.number().nullable(),
});

function stockFigure(p: ActiveProduct, unitsSold: number) {
  const rate = dailyRate(unitsSold);
  return { productId: p.id, sku: p.sku, name: p.name, stock: p.stock, threshold: p.threshold, status: stockStatus(p), dailySalesRate: rate, daysOfCover: daysOfCover(p.stock, rate) };
}

export const productStock = defineTool({
  name: 'product_stock',
  description: `Stock of one product found by name or SKU (fuzzy): units in stock, low-stock threshold, daily sales rate over the last ${RATE_WINDOW_DAYS} days and days of cover.`,
  args: z.object({ query: z.string().trim().min(1).max(100).describe('Product name, part of it, or SKU') }),
  result: z.object({
    query: z.string(),
    found: z.boolean(),
    matchType: z.string().nullable(),
    product: StockFigure.extend({ category: z.string(), unitsSoldLast30Days: z.number() }).nullable(),
    alternatives: z.array(z.object({ productId: z.number(), sku: z.string(), name: z.string() })),
  }),
  async run(args, ctx) {
    const match = await findProduct(args.query);
    const [[found], sold] = match.product
      ? await Promise.all([activeProducts(ctx, { ids: [match.product.id] }), unitsSoldSince(RATE_WINDOW_DAYS, ctx.now, ctx.settings.timezone, [match.product.id])])
      : [[], new Map<number, number>()];
    return {
      query: args.query,
      found: Boolean(found),
      matchType: found ? match.matchType : null,
      product: found ? { ...stockFigure(found, sold.get(found.id) ?? 0), category: found.category, unitsSoldLast30Days: sold.get(found.id) ?? 0 } : null,
      alternatives: match.alternatives.map((p) => ({ productId: p.id, sku: p.sku, name: p.name })),
    };
  },
});

export const lowStock = defineTool({
  name: 'low_stock',
  description: "Products that are out of stock or at/below their low-stock threshold (the product's own, else the default setting).",
  args: z.object({ limit: z.number().int().min(1).max(100).default(20) }),
  result: z.object({ defaultThreshold: z.number(), lowCount: z.number(), outOfStockCount: z.number(), products: z.array(StockFigure) }),
  async run(args, ctx) {
    // The counts by the database; the list fewest in stock first, then the fastest sellers (the rate to two
    // decimals orders as the units sold do), then id, ranked here over the products that can make it (at most
    // the stock of the limit-th lowest) with the window's units sold (past days cached, see unitsSoldSince).
    const [[counts], cutoff, sold] = await Promise.all([
      select<{ out_count: unknown; low_count: unknown }>(
        `SELECT COALESCE(SUM(CASE WHEN p.stock <= 0 THEN 1 ELSE 0 END), 0) AS out_count, COALESCE(SUM(CASE WHEN p.stock > 0 THEN 1 ELSE 0 END), 0) AS low_count
           FROM products p WHERE p.archived_at IS NULL AND ${lowSql(ctx)}`,
      ),
      select<{ stock: unknown }>(`SELECT p.stock FROM products p WHERE p.archived_at IS NULL AND ${lowSql(ctx)} ORDER BY p.stock LIMIT 1 OFFSET ${args.limit - 1}`),
      unitsSoldSince(RATE_WINDOW_DAYS, ctx.now, ctx.settings.timezone),
    ]);
    const maxStock = cutoff.length ? ` AND p.stock <= ${Math.trunc(Number(cutoff[0].stock))}` : '';
    const candidates = await select<{ id: unknown; stock: unknown }>(`SELECT p.id, p.stock FROM products p WHERE p.archived_at IS NULL AND ${lowSql(ctx)}${maxStock}`);
    const first = candidates
      .map((r) => ({ id: Number(r.id), stock: Number(r.stock), units: sold.get(Number(r.id)) ?? 0 }))
      .sort((a, b) => a.stock - b.stock || b.units - a.units || a.id - b.id)
      .slice(0, args.limit);
    const byId = new Map((await activeProducts(ctx, { lowOnly: true, ids: first.map((f) => f.id) })).map((p) => [p.id, p]));
    const products = first.flatMap((f) => (byId.has(f.id) ? [byId.get(f.id)!] : []));
    const figures = products.map((p) => stockFigure(p, sold.get(p.id) ?? 0));
    return {
      defaultThreshold: ctx.settings.lowStockThreshold,
      lowCount: Number(counts.low_count),
      outOfStockCount: Number(counts.out_count),
      products: figures,
    };
  },
});

export const stockValuation = defineTool({
  name: 'stock_valuation',
  description: 'Value of the stock on hand at cost and at selling price, in total and per category (active products).',
  args: z.object({}),
  result: z.object({
    totalUnits: z.number(),
    atCost: z.number(),
    atPrice: z.number(),
    categories: z.array(z.object({ category: z.string(), units: z.number(), atCost: z.number(), atPrice: z.number() })),
  }),
  async run() {
    const rows = await select<Record<string, string | number>>(
      `SELECT category, SUM(stock) AS units, SUM(stock * cost_price) AS at_cost, SUM(stock * price) AS at_price
       FROM products WHERE archived_at IS NULL GROUP BY category ORDER BY at_cost DESC, category`,
    );
    const categories = rows.map((r) => ({ category: String(r.category), units: Number(r.units), atCost: toMoney(r.at_cost), atPrice: toMoney(r.at_price) }));
    const sum = (pick: (c: (typeof categories)[number]) => number) => toMoney(categories.reduce((s, c) => s + Math.round(pick(c) * 100), 0) / 100);
    return { totalUnits: categories.reduce((s, c) => s + c.units, 0), atCost: sum((c) => c.atCost), atPrice: sum((c) => c.atPrice), categories };
  },
});

export const productCount = defineTool({
  name: 'product_count',
  description: 'How many active (not archived) products the business carries, how many are in stock and out of stock, in total or within one category, with the count per category.',
  args: z.object({ category: z.string().trim().min(1).max(100).optional().describe('Only this category') }),
  result: z.object({
    category: z.string().nullable(),
    total: z.number(),
    inStock: z.number(),
    outOfStock: z.number(),
    categories: z.array(z.object({ category: z.string(), products: z.number() })),
  }),
  async run(args, ctx) {
    const all = await activeProducts(ctx);
    const mine = args.category ? all.filter((p) => p.category.toLowerCase() === args.category!.toLowerCase()) : all;
    const per = new Map<string, number>();
    for (const p of all) per.set(p.category, (per.get(p.category) ?? 0) + 1);
    return {
      category: args.category ? (mine[0]?.category ?? args.category) : null,
      total: mine.length,
      inStock: mine.filter((p) => p.stock > 0).length,
      outOfStock: mine.filter((p) => p.stock <= 0).length,
      categories: [...per.entries()].map(([category, products]) => ({ category, products })).sort((a, b) => b.products - a.products || a.category.localeCompare(b.category)),
    };
  },
});

export const stockRunout = defineTool({
  name: 'stock_runout',
  description: `Products in stock that will run out soonest at their daily sales rate over the last ${RATE_WINDOW_DAYS} days (days of cover, fewest first); products that sold nothing are left out.`,
  args: z.object({ limit: z.number().int().min(1).max(50).default(5) }),
  result: z.object({ products: z.array(StockFigure) }),
  async run(args, ctx) {
    const [products, sold] = await Promise.all([activeProducts(ctx), unitsSoldSince(RATE_WINDOW_DAYS, ctx.now, ctx.settings.timezone)]);
    const figures = products
      .filter((p) => p.stock > 0)
      .map((p) => stockFigure(p, sold.get(p.id) ?? 0))
      .filter((f) => f.daysOfCover !== null)
      .sort((a, b) => a.daysOfCover! - b.daysOfCover! || b.dailySalesRate - a.dailySalesRate || a.productId - b.productId);
    return { products: figures.slice(0, args.limit) };
  },
});
