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

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of local midnight on the 1st of `month` (1-12; overflow rolls the year). */
export function monthStart(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  let instant = wall - zoneOffset(wall, timeZone);
  // A DST change between the guess and the answer moves the offset once more.
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant);
}

/** Year and month (1-12) of `now` on the zone's calendar. */
export function calendarMonth(now: Date, timeZone: string): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(now);
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
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
