import { Op } from 'sequelize';

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

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a `YYYY-MM-DD` day in the shop's time zone, `days` later. */
function dayStart(value: string, timeZone: string, days = 0): Date {
  const [, y, m, d] = DATE_ONLY.exec(value)!;
  const wall = Date.UTC(Number(y), Number(m) - 1, Number(d) + days);
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant);
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
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at);
}
