import type { ZodObject, ZodType, z } from 'zod';
import { reportRows } from '../../db/index.js';
import type { Settings } from '../settings/settings.schemas.js';
import { productFiguresSql, productUnitsSql, type FigureSql } from '../analytics/sales-figures.js';

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

/** Units sold per product over the last `days` days (for sales rates): whole days from the sales rollups. */
/** The start of the last `days` days to `now`: the window of the sales rates. */
const windowStart = (days: number, now: Date) => new Date(now.getTime() - days * 86_400_000);

export async function unitsSoldSince(days: number, now: Date, timeZone: string, products?: readonly number[]): Promise<Map<number, number>> {
  const from = windowStart(days, now);
  // A long id list costs more than the whole aggregate (the extra rows are dropped by the callers' lookups).
  const sold = await productFiguresSql(from, now, timeZone, products && products.length <= 500 ? products : undefined);
  const rows = await select<{ product_id: number; units: number | string }>(`SELECT product_id, units FROM (${sold.sql}) l`, sold.replacements);
  return new Map(rows.map((r) => [Number(r.product_id), Number(r.units)]));
}

/** unitsSoldSince's figures as SQL to join (product_id, units, line_count; only products with a sold line). */
export function unitsSoldSql(days: number, now: Date, timeZone: string): Promise<FigureSql> {
  return productUnitsSql(windowStart(days, now), now, timeZone);
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

