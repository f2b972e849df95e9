import { selectRows } from '../../db/index.js';
import type { Page } from '../../shared/page.js';
import type { ReorderQuery } from './inventory.schemas.js';
import { DEFAULT_LEAD_TIME_DAYS, SALES_WINDOW_DAYS, reorderRecommendation } from './reorder.js';
import { thresholdSql } from './low-stock.service.js';
import { getSettings } from '../settings/settings.service.js';
import { productFiguresSql } from '../analytics/sales-figures.js';
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
 * One row per active product with its low-stock threshold, its units sold in
 * the window (sales and storefront orders, cancelled ones excluded) and its
 * open purchase quantity, aggregated by the database.
 */
const velocitySql = (shopThreshold: number, sold: string) => `
SELECT p.id, p.sku, p.name, p.stock, p.reorder_quantity, p.supplier_id, ${thresholdSql(shopThreshold)} AS threshold,
       s.name AS supplier_name, s.lead_time_days,
       COALESCE(sold.units, 0) AS units_sold,
       COALESCE(incoming.quantity, 0) AS on_order
  FROM products p
  LEFT JOIN suppliers s ON s.id = p.supplier_id
  LEFT JOIN (${sold}) sold ON sold.product_id = p.id
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

/** Products that should be reordered now, least days of cover first. */
export async function reorderRecommendations(now = clockNow()): Promise<ReorderRecommendation[]> {
  const since = new Date(now.getTime() - SALES_WINDOW_DAYS * 86_400_000);
  const { lowStockThreshold, timezone } = await getSettings();
  // Units sold since then: whole days from the sales rollups, the first partial day from the lines.
  const sold = await productFiguresSql(since, undefined, timezone);
  const rows = await selectRows<Row>(velocitySql(lowStockThreshold, sold.sql), sold.replacements);
  const recommendations: ReorderRecommendation[] = [];
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
    if (!result.needsReorder) continue;
    recommendations.push({
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
  return recommendations.sort(
    (a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) || b.dailySalesRate - a.dailySalesRate || a.name.localeCompare(b.name),
  );
}

/** The same list in the API's page shape. */
export async function listReorderRecommendations(query: ReorderQuery): Promise<Page<ReorderRecommendation>> {
  const all = await reorderRecommendations();
  const offset = (query.page - 1) * query.limit;
  return { data: all.slice(offset, offset + query.limit), page: query.page, limit: query.limit, total: all.length };
}
