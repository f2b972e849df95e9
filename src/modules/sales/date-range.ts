import { Op } from 'sequelize';
import { wallTime, zonedToUtc } from '../../shared/time-zone.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a `YYYY-MM-DD` day in the shop's time zone, `days` later. */
function dayStart(value: string, timeZone: string, days = 0): Date {
  const [, y, m, d] = DATE_ONLY.exec(value)!;
  return zonedToUtc({ y: Number(y), m: Number(m), d: Number(d) + days }, timeZone);
}

/**
 * `from`/`to` query values as a created_at condition. A plain date means the
 * shop's calendar day (settings.timezone) and `to` includes that whole day;
 * a date-time is taken as the exact instant.
 */
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
