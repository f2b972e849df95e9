import { isSqlite, readSnapshot, selectRows } from '../../db/index.js';
import type { Page } from '../../shared/page.js';
import type { ReorderQuery } from './inventory.schemas.js';
import { DEFAULT_LEAD_TIME_DAYS, SALES_WINDOW_DAYS, reorderRecommendation } from './reorder.js';
import { thresholdSql } from './low-stock.service.js';
import { getSettings } from '../settings/settings.service.js';
import { productSums, productUnitsSql, type ProductSum } from '../analytics/sales-figures.js';
import { splitRange } from '../analytics/sales-rollups.js';
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

/** Open purchase quantities per product, joined to `products p`. */
const INCOMING = `
  LEFT JOIN (
        SELECT pi.product_id, SUM(pi.quantity - pi.received_quantity) AS quantity
          FROM purchase_items pi JOIN purchases pu ON pu.id = pi.purchase_id
         WHERE pu.status IN ('ordered', 'partially_received')
         GROUP BY pi.product_id
       ) incoming ON incoming.product_id = p.id`;

/** A Row's columns, the units sold given as `units`. */
const rowColumns = (shopThreshold: number, units: string) => `
  p.id, p.sku, p.name, p.stock, p.reorder_quantity, p.supplier_id, ${thresholdSql(shopThreshold)} AS threshold,
  s.name AS supplier_name, s.lead_time_days, ${units} AS units_sold, COALESCE(incoming.quantity, 0) AS on_order`;

/**
 * One row per active product with its low-stock threshold, its units sold in
 * the window (sales and storefront orders, cancelled ones excluded) and its
 * open purchase quantity, aggregated by the database.
 */
const velocitySql = (shopThreshold: number, sold: string) => `
SELECT ${rowColumns(shopThreshold, 'COALESCE(sold.units, 0)')}
  FROM products p
  LEFT JOIN suppliers s ON s.id = p.supplier_id
  LEFT JOIN (${sold}) sold ON sold.product_id = p.id${INCOMING}
 WHERE p.archived_at IS NULL
   -- Only possible candidates: low, or stock + on order within a bound above any reorder point
   -- (ceil(rate x lead) + max(1, ceil(rate x ceil(lead / 2))) <= units / 30 x (1.5 lead + 1) + 2); the formula decides.
   AND (p.stock <= ${thresholdSql(shopThreshold)}
        OR p.stock + COALESCE(incoming.quantity, 0) <= COALESCE(sold.units, 0) * (1.5 * COALESCE(s.lead_time_days, ${DEFAULT_LEAD_TIME_DAYS}) + 1) / ${SALES_WINDOW_DAYS} + 3)`;

/** The same rows for these active products, units sold left for the caller (0). */
const productRowsSql = (shopThreshold: number, ids: number[]) => `
SELECT ${rowColumns(shopThreshold, '0')}
  FROM products p
  LEFT JOIN suppliers s ON s.id = p.supplier_id${INCOMING}
 WHERE p.archived_at IS NULL AND p.id IN (${ids.map((id) => Math.trunc(id)).join(',')})`;

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

/** Days of cover as the formula rounds them (one decimal). */
const coverOf = (stock: number, rate: number) => Math.round((stock / rate) * 10) / 10;

/** How many of the fastest sellers sellersByStock reads first, by primary key. */
export const FASTEST = 256;

/**
 * The first `limit` recommendations among the products that sold in the
 * window (`units`), or undefined when fewer than `limit` of them need a
 * reorder (then products without sales come next: the full ranking decides).
 * A threshold search: the FASTEST sellers are read first by primary key; the
 * other active products are then read by ascending stock through the stock
 * index, in growing batches, those that sold getting their rows and the
 * formula, until the next stock at the fastest rate left would cover more
 * days than the limit-th found: nothing after it can come before (days of
 * cover only grow with stock and shrink with the rate). On one snapshot, so
 * no product is read twice or missed while stock moves.
 */
function sellersByStock(sums: Map<number, ProductSum>, shopThreshold: number, limit: number): Promise<ReorderRecommendation[] | undefined> {
  // The sellers fastest first, by one typed sort of units and id packed in a double (exact below 2^53).
  const sellers = [...sums].filter(([, sum]) => sum.units > 0);
  if (!sellers.length) return Promise.resolve(undefined);
  if (sellers.some(([id, sum]) => id >= ID_SPACE || sum.units >= Number.MAX_SAFE_INTEGER / ID_SPACE)) return Promise.resolve(undefined);
  const packed = Float64Array.from(sellers, ([id, sum]) => sum.units * ID_SPACE + id).sort().reverse();
  const idAt = (i: number) => packed[i] % ID_SPACE;
  const fastest = Array.from(packed.subarray(0, FASTEST), (_, i) => idAt(i));
  const read = new Set(fastest);
  const unitsOf = (id: number) => sums.get(id)?.units ?? 0;
  // The fastest seller not read yet bounds the cover of every product the walk has not reached.
  let unread = fastest.length;
  const rateLeft = () => {
    while (unread < packed.length && read.has(idAt(unread))) unread++;
    return unread < packed.length ? unitsOf(idAt(unread)) / SALES_WINDOW_DAYS : 0;
  };
  return readSnapshot(async () => {
    const found: ReorderRecommendation[] = [];
    const add = async (ids: number[]) => {
      if (!ids.length) return;
      for (const id of ids) read.add(id);
      const rows = await selectRows<Row>(productRowsSql(shopThreshold, ids));
      found.push(...recommend(rows.map((r) => ({ ...r, units_sold: unitsOf(Number(r.id)) }))).list);
      found.sort(urgency);
    };
    const done = () => (found.length >= limit ? found.slice(0, limit) : undefined);
    await add(fastest);
    if (rateLeft() === 0) return done();
    let after = { stock: -1, id: 0 };
    for (let batch = 4 * limit; ; batch = Math.min(2 * batch, 16_000)) {
      const page = await selectRows<{ id: unknown; stock: unknown }>(
        `SELECT id, stock FROM products WHERE archived_at IS NULL AND stock >= :stock AND (stock > :stock OR id > :id) ORDER BY stock, id LIMIT ${batch}`,
        after,
      );
      await add(page.map((r) => Number(r.id)).filter((id) => unitsOf(id) > 0 && !read.has(id)));
      if (page.length < batch) return done();
      const last = page[page.length - 1];
      after = { stock: Number(last.stock), id: Number(last.id) };
      const left = rateLeft();
      if (left === 0 || (found.length >= limit && nothingUnreadBefore(found[limit - 1], after.stock, left))) return done();
    }
  });
}

/**
 * Whether no product the walk has not reached can come before `cut` (the
 * limit-th found): each has at least `stock` and sells at most `rate` a day,
 * so its days of cover are at least coverOf(stock, rate), and at that same
 * cover it would need a higher rate than `cut`'s (the urgency order; rates
 * are compared as rounded, so a tie goes on reading).
 */
function nothingUnreadBefore(cut: ReorderRecommendation, stock: number, rate: number): boolean {
  const cover = coverOf(stock, rate);
  return cover > cut.daysOfCover! || (cover === cut.daysOfCover && Math.round(rate * 100) / 100 < cut.dailySalesRate);
}

/** Above every product id: a seller's units and id share one double (sellersByStock; larger ids or units take the full ranking). */
const ID_SPACE = 2 ** 26;

/**
 * Products that should be reordered now, least days of cover first. With
 * `limit`, only the first `limit`: those that sold something in the window
 * come first (a product without sales has no days of cover and sorts after
 * them all), ranked from the window's units (the past days cached, see
 * productSums) by ascending stock (sellersByStock); only when fewer than
 * `limit` of them need a reorder does the database rank every candidate, read
 * in growing batches until the rest cannot come before them.
 */
export async function reorderRecommendations(now = clockNow(), limit?: number): Promise<ReorderRecommendation[]> {
  const since = new Date(now.getTime() - SALES_WINDOW_DAYS * 86_400_000);
  const { lowStockThreshold, timezone } = await getSettings();
  if (limit !== undefined) {
    const sums = await productSums(await splitRange(since, undefined, timezone), timezone);
    const first = await sellersByStock(sums, lowStockThreshold, Math.max(1, Math.trunc(limit)));
    if (first) return first;
  }
  // Units sold since then: whole days from the sales rollups, the first partial day from the lines.
  const sold = await productUnitsSql(since, undefined, timezone);
  const velocity = velocitySql(lowStockThreshold, sold.sql);
  if (limit === undefined) return recommend(await selectRows<Row>(velocity, sold.replacements)).list;
  for (let batch = 4 * Math.max(1, Math.trunc(limit)); ; batch *= 8) {
    const rows = await selectRows<Row & { cover_tenths: unknown }>(`${rankedSql(velocity)} LIMIT ${batch}`, sold.replacements);
    const { list, lastRate } = recommend(rows);
    if (rows.length < batch || settled(list, limit, rows[rows.length - 1], lastRate)) return list.slice(0, limit);
  }
}

/** The same list in the API's page shape. */
export async function listReorderRecommendations(query: ReorderQuery): Promise<Page<ReorderRecommendation>> {
  const all = await reorderRecommendations();
  const offset = (query.page - 1) * query.limit;
  return { data: all.slice(offset, offset + query.limit), page: query.page, limit: query.limit, total: all.length };
}
