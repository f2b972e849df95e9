import type { ZodObject, ZodType, z } from 'zod';
import { reportRows } from '../../db/index.js';
import type { Settings } from '../settings/settings.schemas.js';
import { productSums } from '../analytics/sales-figures.js';
import { splitRange } from '../analytics/sales-rollups.js';

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

/** The start of the last `days` days to `now`: the window of the sales rates. */
const windowStart = (days: number, now: Date) => new Date(now.getTime() - days * 86_400_000);

/**
 * Units sold per product over the last `days` days to `now` (for sales
 * rates; only products with a sold line): the past days from the cached
 * rollup sums (productSums), today's rollups and the partial first day read
 * per call, for `products` only when given.
 */
export async function unitsSoldSince(days: number, now: Date, timeZone: string, products?: readonly number[]): Promise<Map<number, number>> {
  const sums = await productSums(await splitRange(windowStart(days, now), now, timeZone), timeZone, products);
  return new Map([...sums].map(([id, sum]) => [id, sum.units]));
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

