import { wallTime, zonedToUtc } from '../../shared/time-zone.js';

/**
 * Calendar periods in the shop's time zone (settings.timezone), as UTC
 * instants the database can compare against. Month boundaries are computed
 * here rather than with SQL date functions, which differ between SQLite and
 * MariaDB.
 */
export interface Period {
  /** `YYYY-MM` for months. */
  key: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** The UTC instant of local midnight on the 1st of `month` (1-12; overflow rolls the year). */
export function monthStart(year: number, month: number, timeZone: string): Date {
  return zonedToUtc({ y: year, m: month, d: 1 }, timeZone);
}

/** Year and month (1-12) of `now` on the zone's calendar. */
export function calendarMonth(now: Date, timeZone: string): { year: number; month: number } {
  const { y, m } = wallTime(now, timeZone);
  return { year: y, month: m };
}

/** The last `count` calendar months including the current one, oldest first. */
export function lastMonths(count: number, now: Date, timeZone: string): Period[] {
  const { year, month } = calendarMonth(now, timeZone);
  const periods: Period[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const first = new Date(Date.UTC(year, month - 1 - i, 1));
    const y = first.getUTCFullYear();
    const m = first.getUTCMonth() + 1;
    periods.push({ key: `${y}-${String(m).padStart(2, '0')}`, start: monthStart(y, m, timeZone), end: monthStart(y, m + 1, timeZone) });
  }
  return periods;
}
