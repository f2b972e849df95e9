import { z } from '../../shared/zod.js';
import { fromCents, toCents } from '../../shared/money.js';
import { activeProducts } from './stock.tools.js';
import { COVER_DAYS, SALES_WINDOW_DAYS } from '../inventory/reorder.js';
import { reorderRecommendations as listReorder } from '../inventory/reorder.service.js';
import { defineTool, select, unitsSoldSince } from './tool.js';
import { toDate } from '../../db/columns.js';

/** When each of `ids` last sold (sales and orders that are not cancelled). */
async function lastSold(ids: number[]): Promise<Map<number, string | null>> {
  if (!ids.length) return new Map();
  const list = ids.map((id) => Math.trunc(id)).join(',');
  const rows = await select<{ product_id: number; last_at: unknown }>(
    `SELECT l.product_id, MAX(l.at) AS last_at FROM (
       SELECT si.product_id AS product_id, s.created_at AS at FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE si.product_id IN (${list}) AND s.status <> 'cancelled'
       UNION ALL
       SELECT oi.product_id, o.created_at FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id IN (${list}) AND o.status <> 'cancelled'
     ) l GROUP BY l.product_id`,
  );
  return new Map(rows.map((r) => [Number(r.product_id), toDate(r.last_at)?.toISOString() ?? null]));
}

export const reorderRecommendations = defineTool({
  name: 'reorder_recommendations',
  description: `What to reorder now (same formula as the inventory reorder report): products at or below their low-stock threshold, and products whose stock plus open purchase orders is at or below the reorder point (daily sales rate over the last ${SALES_WINDOW_DAYS} days x supplier lead time + safety stock), with a quantity covering ${COVER_DAYS} more days of demand.`,
  args: z.object({ limit: z.number().int().min(1).max(50).default(10) }),
  result: z.object({
    recommendations: z.array(
      z.object({
        productId: z.number(),
        sku: z.string(),
        name: z.string(),
        stock: z.number(),
        onOrder: z.number(),
        dailySalesRate: z.number(),
        daysOfCover: z.number().nullable(),
        leadTimeDays: z.number(),
        reorderPoint: z.number(),
        recommendedQuantity: z.number(),
        supplierName: z.string().nullable(),
        reason: z.string(),
      }),
    ),
  }),
  async run(args, ctx) {
    // The inventory service's own list (the one GET /api/inventory/reorder-recommendations shows), at the tools' clock.
    const first = await listReorder(ctx.now, args.limit);
    return {
      recommendations: first.map((r) => ({
        productId: r.productId,
        sku: r.sku,
        name: r.name,
        stock: r.stock,
        onOrder: r.onOrder,
        dailySalesRate: r.dailySalesRate,
        daysOfCover: r.daysOfCover,
        leadTimeDays: r.leadTimeDays,
        reorderPoint: r.reorderPoint,
        recommendedQuantity: r.recommendedQuantity,
        supplierName: r.supplierName,
        reason: r.reason,
      })),
    };
  },
});

const MoverFigure = z.object({
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  stock: z.number(),
  unitsSold: z.number(),
  stockValueAtCost: z.number(),
  lastSoldAt: z.string().nullable(),
});

export const slowMovers = defineTool({
  name: 'slow_movers',
  description: 'Dead stock (in stock, nothing sold in the last N days) and slow movers (in stock, at most maxUnits sold in N days), with the stock value at cost tied up in them.',
  args: z.object({
    days: z.number().int().min(7).max(365).default(60),
    maxUnits: z.number().int().min(1).max(1000).default(5).describe('At most this many units sold in the window counts as slow'),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  result: z.object({ days: z.number(), maxUnits: z.number(), deadStockValue: z.number(), deadStock: z.array(MoverFigure), slowMovers: z.array(MoverFigure) }),
  async run(args, ctx) {
    const [products, sold] = await Promise.all([activeProducts(ctx), unitsSoldSince(args.days, ctx.now, ctx.settings.timezone)]);
    const figures = products
      .filter((p) => p.stock > 0)
      .map((p) => ({
        productId: p.id,
        sku: p.sku,
        name: p.name,
        stock: p.stock,
        unitsSold: sold.get(p.id) ?? 0,
        stockValueAtCost: fromCents(toCents(p.costPrice) * p.stock),
        lastSoldAt: null as string | null,
      }));
    const dead = figures.filter((f) => f.unitsSold === 0).sort((a, b) => b.stockValueAtCost - a.stockValueAtCost || a.productId - b.productId);
    const slow = figures
      .filter((f) => f.unitsSold > 0 && f.unitsSold <= args.maxUnits)
      .sort((a, b) => a.unitsSold - b.unitsSold || b.stockValueAtCost - a.stockValueAtCost || a.productId - b.productId);
    const [deadShown, slowShown] = [dead.slice(0, args.limit), slow.slice(0, args.limit)];
    // Only the listed products' last sale is looked up (an indexed read each), not every product's.
    const last = await lastSold([...deadShown, ...slowShown].map((f) => f.productId));
    for (const f of [...deadShown, ...slowShown]) f.lastSoldAt = last.get(f.productId) ?? null;
    return {
      days: args.days,
      maxUnits: args.maxUnits,
      deadStockValue: fromCents(dead.reduce((s, f) => s + toCents(f.stockValueAtCost), 0)),
      deadStock: deadShown,
      slowMovers: slowShown,
    };
  },
});
