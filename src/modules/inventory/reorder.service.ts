import { isSqlite, selectRows } from '../../db/index.js';
import type { Page } from '../../shared/page.js';
import type { ReorderQuery } from './inventory.schemas.js';
import { DEFAULT_LEAD_TIME_DAYS, SALES_WINDOW_DAYS, reorderRecommendation } from './reorder.js';
import { thresholdSql } from './low-stock.service.js';
import { getSettings } from '../settings/settings.service.js';
import { productUnitsSql } from '../analytics/sales-figures.js';
import { now as clockNow } from '../../shared/clock.js';

export interface ReorderRecommendation {
  productId: number;
  sku: string;
  name: string;
  stock: number;
  dailySalesRate: number;
  daysOfCover: number | null;
  leadTimeDays: number;
  safetyStock: number;
  reorderPoint: number;
  onOrder: number;
  recommendedQuantity: number;
  supplierId: number | null;
  supplierName: string | null;
  reason: string;
}

interface Row {
  id: number;
  sku: string;
  name: string;
  stock: number | string;
  reorder_quantity: number | string | null;
  threshold: number | string;
  supplier_id: number | null;
  supplier_name: string | null;
  lead_time_days: number | string | null;
  units_sold: number | string;
  on_order: number | string;
}

/**
 * Whose rows velocitySql reads: every active product, or only those that sold
 * something in the window, read from that (smaller) set by primary key.
 */
function productsFrom(sold: string, soldOnly: boolean): string {
  if (!soldOnly) return `products p LEFT JOIN (${sold}) sold ON sold.product_id = p.id LEFT JOIN suppliers s ON s.id = p.supplier_id`;
  // MariaDB would start from products and look each one up in the sold set: STRAIGHT_JOIN keeps this order.
  return `(${sold}) sold ${isSqlite() ? 'JOIN' : 'STRAIGHT_JOIN'} products p ON p.id = sold.product_id LEFT JOIN suppliers s ON s.id = p.supplier_id`;
}

/**
 * One row per active product (with `soldOnly`, per active product that sold
 * something in the window) with its low-stock threshold, its units sold in
 * the window (sales and storefront orders, cancelled ones excluded) and its
 * open purchase quantity, aggregated by the database.
 */
const velocitySql = (shopThreshold: number, sold: string, soldOnly = false) => `
SELECT p.id, p.sku, p.name, p.stock, p.reorder_quantity, p.supplier_id, ${thresholdSql(shopThreshold)} AS threshold,
       s.name AS supplier_name, s.lead_time_days,
       COALESCE(sold.units, 0) AS units_sold,
       COALESCE(incoming.quantity, 0) AS on_order
  FROM ${productsFrom(sold, soldOnly)}
  LEFT JOIN (
        SELECT pi.product_id, SUM(pi.quantity - pi.received_quantity) AS quantity
          FROM purchase_items pi JOIN purchases pu ON pu.id = pi.purchase_id
         WHERE pu.status IN ('ordered', 'partially_received')
         GROUP BY pi.product_id
       ) incoming ON incoming.product_id = p.id
 WHERE p.archived_at IS NULL
   -- Only possible candidates: low, or stock + on order within a bound above any reorder point
   -- (ceil(rate x lead) + max(1, ceil(rate x ceil(lead / 2))) <= units / 30 x (1.5 lead + 1) + 2); the formula decides.
   AND (p.stock <= ${thresholdSql(shopThreshold)}
        OR p.stock + COALESCE(incoming.quantity, 0) <= COALESCE(sold.units, 0) * (1.5 * COALESCE(s.lead_time_days, ${DEFAULT_LEAD_TIME_DAYS}) + 1) / ${SALES_WINDOW_DAYS} + 3)`;

/** Least days of cover first (no sales: last), then the fastest sellers, then by name. */
const urgency = (a: ReorderRecommendation, b: ReorderRecommendation) =>
  (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) || b.dailySalesRate - a.dailySalesRate || a.name.localeCompare(b.name);

/** The candidates' recommendations (those that need a reorder), in urgency order, and the last row's sales rate. */
function recommend(rows: Row[]): { list: ReorderRecommendation[]; lastRate: number } {
  const list: ReorderRecommendation[] = [];
  let lastRate = 0;
  for (const row of rows) {
    const stock = Number(row.stock);
    const result = reorderRecommendation({
      stock,
      unitsSold: Number(row.units_sold),
      leadTimeDays: row.lead_time_days === null ? null : Number(row.lead_time_days),
      onOrder: Number(row.on_order),
      reorderQuantity: row.reorder_quantity === null ? null : Number(row.reorder_quantity),
      threshold: Number(row.threshold),
    });
    lastRate = result.dailySalesRate;
    if (!result.needsReorder) continue;
    list.push({
      productId: row.id,
      sku: row.sku,
      name: row.name,
      stock,
      dailySalesRate: result.dailySalesRate,
      daysOfCover: result.daysOfCover,
      leadTimeDays: result.leadTimeDays,
      safetyStock: result.safetyStock,
      reorderPoint: result.reorderPoint,
      onOrder: result.onOrder,
      recommendedQuantity: result.recommendedQuantity,
      supplierId: row.supplier_id,
      supplierName: row.supplier_name,
      reason: result.reason,
    });
  }
  return { list: list.sort(urgency), lastRate };
}

/**
 * The candidates in the database's order: sold something first, then by
 * `cover_tenths` = floor(10 x stock / (units / window)) (integer arithmetic:
 * the days of cover to one decimal are that or a tenth more), most units sold
 * first, then id.
 */
function rankedSql(velocity: string): string {
  const tenths = isSqlite()
    ? `CAST(c.stock * ${10 * SALES_WINDOW_DAYS} AS INTEGER) / CAST(c.units_sold AS INTEGER)`
    : `(c.stock * ${10 * SALES_WINDOW_DAYS}) DIV c.units_sold`;
  return `SELECT c.*, CASE WHEN c.units_sold > 0 THEN ${tenths} END AS cover_tenths FROM (${velocity}) c
           ORDER BY CASE WHEN c.units_sold > 0 THEN 0 ELSE 1 END, cover_tenths, c.units_sold DESC, c.id`;
}

/**
 * Whether the first `limit` of `list` (the recommendations of the first rows
 * in rankedSql's order) are the first `limit` of the whole list: every row
 * after `last` sorts after the limit-th, because its cover is a tenth more,
 * or the same tenth with a lower rate, or it sold nothing (and the limit-th did).
 */
function settled(list: ReorderRecommendation[], limit: number, last: Row & { cover_tenths: unknown }, lastRate: number): boolean {
  if (list.length < limit) return false;
  const cut = list[limit - 1];
  if (last.cover_tenths === null) return cut.daysOfCover !== null;
  if (cut.daysOfCover === null) return false;
  const tenths = Math.round(cut.daysOfCover * 10);
  const lastTenths = Number(last.cover_tenths);
  return tenths < lastTenths || (tenths === lastTenths && lastRate < cut.dailySalesRate);
}

/**
 * The first `limit` recommendations from the candidates of `velocity` in
 * rankedSql's order, read in growing batches until the rest cannot come
 * before them; `complete` tells whether no candidate outside `velocity`
 * could come among them (always so when it holds every candidate).
 */
async function firstRanked(velocity: string, replacements: Record<string, unknown>, limit: number): Promise<{ list: ReorderRecommendation[]; complete: boolean }> {
  for (let batch = 4 * limit; ; batch *= 8) {
    const rows = await selectRows<Row & { cover_tenths: unknown }>(`${rankedSql(velocity)} LIMIT ${batch}`, replacements);
    const { list, lastRate } = recommend(rows);
    if (rows.length === batch && !settled(list, limit, rows[rows.length - 1], lastRate)) continue;
    // Ran out: complete when the limit-th has days of cover (candidates outside `velocity` without sales sort after it).
    return { list: list.slice(0, limit), complete: rows.length === batch || (list.length >= limit && list[limit - 1].daysOfCover !== null) };
  }
}

/**
 * Products that should be reordered now, least days of cover first. With
 * `limit`, only the first `limit`: the database ranks the candidates and they
 * are read in growing batches until the rest cannot come before them. Those
 * that sold something come first (a product without sales has no days of
 * cover and sorts after them all), so they are ranked first on their own,
 * from the window's sales by primary key; every active product is read only
 * when fewer than `limit` of them need a reorder.
 */
export async function reorderRecommendations(now = clockNow(), limit?: number): Promise<ReorderRecommendation[]> {
  const since = new Date(now.getTime() - SALES_WINDOW_DAYS * 86_400_000);
  const { lowStockThreshold, timezone } = await getSettings();
  // Units sold since then: whole days from the sales rollups, the first partial day from the lines.
  const sold = await productUnitsSql(since, undefined, timezone);
  const velocity = velocitySql(lowStockThreshold, sold.sql);
  if (limit === undefined) return recommend(await selectRows<Row>(velocity, sold.replacements)).list;
  const first = Math.max(1, Math.trunc(limit));
  const selling = await firstRanked(velocitySql(lowStockThreshold, sold.sql, true), sold.replacements, first);
  return selling.complete ? selling.list : (await firstRanked(velocity, sold.replacements, first)).list;
}

/** The same list in the API's page shape. */
export async function listReorderRecommendations(query: ReorderQuery): Promise<Page<ReorderRecommendation>> {
  const all = await reorderRecommendations();
  const offset = (query.page - 1) * query.limit;
  return { data: all.slice(offset, offset + query.limit), page: query.page, limit: query.limit, total: all.length };
}
