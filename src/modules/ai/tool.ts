import type { ZodObject, ZodType, z } from 'zod';
import { reportRows } from '../../db/index.js';
import type { Settings } from '../settings/settings.schemas.js';

/** What every tool may know besides its arguments: the business settings and the clock. */
export interface ToolContext {
  settings: Settings;
  now: Date;
}

/**
 * A read-only analytics tool: typed arguments (their JSON schema is what the
 * model sees), a typed result, and a body that only SELECTs.
 */
export interface Tool<A extends ZodObject = ZodObject, R extends ZodType = ZodType> {
  name: string;
  description: string;
  args: A;
  result: R;
  run(args: z.output<A>, ctx: ToolContext): Promise<z.output<R>>;
}

export function defineTool<A extends ZodObject, R extends ZodType>(tool: Tool<A, R>): Tool<A, R> {
  return tool;
}

/** A SELECT with named replacements; nothing else goes through here. Report reads: from a replica when DATABASE_READ_URLS has one. */
export const select = reportRows;

/**
 * Sold lines (sales and storefront orders that are not cancelled) in a range.
 * A line's revenue is its share of the document's tax-included total, so the
 * per-product and per-category figures add up to the revenue definition of
 * API.md (the 1.0 keeps SQLite from dividing integers). Customer fields are never selected.
 * A line carries its sale's date, so the line's date condition lets the
 * database read lines from the covering date index.
 */
export const SOLD_LINES = `
  SELECT si.product_id AS product_id, si.quantity AS quantity,
         CASE WHEN s.subtotal > 0 THEN si.line_total * 1.0 * s.total / s.subtotal ELSE 0 END AS revenue
  FROM sale_items si JOIN sales s ON s.id = si.sale_id
  WHERE s.status <> 'cancelled' AND s.created_at >= :from AND s.created_at < :to
    AND si.created_at >= :from AND si.created_at < :to
  UNION ALL
  SELECT oi.product_id, oi.quantity,
         CASE WHEN o.subtotal > 0 THEN oi.line_total * 1.0 * o.total / o.subtotal ELSE 0 END
  FROM order_items oi JOIN orders o ON o.id = oi.order_id
  WHERE o.status <> 'cancelled' AND o.created_at >= :from AND o.created_at < :to`;

/**
 * Sold lines with their gross margin: revenue net of tax (the line's share of
 * the document total less its tax) minus cost (the sale line's unit cost; for
 * storefront orders, which record none, the product's cost price).
 */
export const SOLD_LINES_WITH_MARGIN = `
  SELECT si.product_id AS product_id, si.quantity AS quantity,
         CASE WHEN s.subtotal > 0 THEN si.line_total * 1.0 * s.total / s.subtotal ELSE 0 END AS revenue,
         CASE WHEN s.subtotal > 0 THEN si.line_total * 1.0 * (s.total - s.tax) / s.subtotal ELSE 0 END - si.unit_cost * si.quantity AS margin
  FROM sale_items si JOIN sales s ON s.id = si.sale_id
  WHERE s.status <> 'cancelled' AND s.created_at >= :from AND s.created_at < :to
    AND si.created_at >= :from AND si.created_at < :to
  UNION ALL
  SELECT oi.product_id, oi.quantity,
         CASE WHEN o.subtotal > 0 THEN oi.line_total * 1.0 * o.total / o.subtotal ELSE 0 END,
         CASE WHEN o.subtotal > 0 THEN oi.line_total * 1.0 * (o.total - o.tax) / o.subtotal ELSE 0 END - cp.cost_price * oi.quantity
  FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products cp ON cp.id = oi.product_id
  WHERE o.status <> 'cancelled' AND o.created_at >= :from AND o.created_at < :to`;

/** Units sold per product over the last `days` days (for sales rates). */
export async function unitsSoldSince(days: number, now: Date): Promise<Map<number, number>> {
  const from = new Date(now.getTime() - days * 86_400_000);
  const rows = await select<{ product_id: number; units: number | string }>(
    `SELECT l.product_id, SUM(l.quantity) AS units FROM (${SOLD_LINES}) l GROUP BY l.product_id`,
    { from, to: now },
  );
  return new Map(rows.map((r) => [Number(r.product_id), Number(r.units)]));
}

/** Window for daily sales rates and days of cover. */
export const RATE_WINDOW_DAYS = 30;

export function dailyRate(units: number): number {
  return Math.round((units / RATE_WINDOW_DAYS) * 100) / 100;
}

export function daysOfCover(stock: number, rate: number): number | null {
  return rate > 0 ? Math.floor(stock / rate) : null;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

/** Percentage change, null when there is nothing to compare with. */
export function changePct(current: number, previous: number): number | null {
  return previous === 0 ? null : round1(((current - previous) / previous) * 100);
}

