import { Op } from 'sequelize';
import { z } from './zod.js';
import { wallTime, zonedToUtc } from './time-zone.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day (`YYYY-MM-DD`, the shop's day) or an exact ISO date-time with an offset. */
export const dateOrDateTime = z.iso.date().or(z.iso.datetime({ offset: true }));

/**
 * The `from`/`to` query filters every list and export shares: a bare date is
 * the whole day in the settings time zone (`to` includes it), a date-time the
 * exact instant. Turned into a condition by dateRange().
 */
export const dateRangeQuery = {
  from: dateOrDateTime.optional().openapi({ description: 'From this day (YYYY-MM-DD, shop time zone) or instant (ISO date-time), inclusive' }),
  to: dateOrDateTime.optional().openapi({ description: 'Through this day (YYYY-MM-DD, the whole day in the shop time zone) or up to this instant, inclusive' }),
};

/** Local midnight of a `YYYY-MM-DD` day in the shop's time zone, `days` later. */
function dayStart(value: string, timeZone: string, days = 0): Date {
  const [, y, m, d] = DATE_ONLY.exec(value)!;
  return zonedToUtc({ y: Number(y), m: Number(m), d: Number(d) + days }, timeZone);
}

/** `from`/`to` query values as a timestamp condition (see dateRangeQuery), or undefined when neither is given. */
export function dateRange(from: string | undefined, to: string | undefined, timeZone: string) {
  const range: { [Op.gte]?: Date; [Op.lt]?: Date; [Op.lte]?: Date } = {};
  if (from) range[Op.gte] = DATE_ONLY.test(from) ? dayStart(from, timeZone) : new Date(from);
  if (to) {
    if (DATE_ONLY.test(to)) range[Op.lt] = dayStart(to, timeZone, 1);
    else range[Op.lte] = new Date(to);
  }
  return from || to ? range : undefined;
}

/** The calendar year of `at` in the shop's time zone. */
export function yearIn(at: Date, timeZone: string): string {
  return String(wallTime(at, timeZone).y);
}
