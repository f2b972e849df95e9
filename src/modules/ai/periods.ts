import { z } from '../../shared/zod.js';
import { wallAsUtc, wallTime, zonedToUtc, type Wall } from '../../shared/time-zone.js';
import { now as clockNow } from '../../shared/clock.js';

export { zonedToUtc };

/**
 * Reporting periods. Boundaries are computed in the business time zone
 * (settings.timezone) and turned into UTC instants, so "this month" means the
 * same thing on SQLite and MariaDB and every query is a plain created_at range.
 */
export const PERIOD_KEYS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'this_year',
  'custom',
] as const;
export type PeriodKey = (typeof PERIOD_KEYS)[number];

export const periodArgs = {
  period: z.enum(PERIOD_KEYS).default('this_month').describe("Reporting period; 'custom' needs from and to"),
  from: z.iso.date().optional().describe('First day (YYYY-MM-DD, business time zone), for custom periods'),
  to: z.iso.date().optional().describe('Last day, inclusive (YYYY-MM-DD), for custom periods'),
};
export interface PeriodInput {
  period?: PeriodKey;
  from?: string;
  to?: string;
}

export interface Range {
  key: PeriodKey;
  label: string;
  /** Inclusive start. */
  from: Date;
  /** Exclusive end (now for periods still running). */
  to: Date;
}

const LABELS: Record<PeriodKey, string> = {
  today: 'today',
  yesterday: 'yesterday',
  this_week: 'this week',
  last_week: 'last week',
  this_month: 'this month',
  last_month: 'last month',
  last_7_days: 'in the last 7 days',
  last_30_days: 'in the last 30 days',
  last_90_days: 'in the last 90 days',
  this_year: 'this year',
  custom: '',
};

/** Calendar arithmetic on wall dates (Date.UTC normalises overflowing days and months). */
function addDays(w: Wall, days: number): Wall {
  const t = new Date(Date.UTC(w.y, w.m - 1, w.d + days));
  return { ...w, y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function addMonths(w: Wall, months: number): Wall {
  const first = new Date(Date.UTC(w.y, w.m - 1 + months, 1));
  const daysInMonth = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return { ...w, y: first.getUTCFullYear(), m: first.getUTCMonth() + 1, d: Math.min(w.d, daysInMonth) };
}

const midnight = (w: Wall): Wall => ({ ...w, h: 0, mi: 0, s: 0, ms: 0 });
const isoDay = (w: Wall) => `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;

function parseDay(value: string): Wall {
  const [y, m, d] = value.split('-').map(Number);
  return { y, m, d, h: 0, mi: 0, s: 0, ms: 0 };
}

/** Resolves a period to a [from, to) range of UTC instants. */
export function resolvePeriod(input: PeriodInput, timeZone: string, now = clockNow()): Range {
  const key: PeriodKey = input.from && input.to ? 'custom' : input.period && input.period !== 'custom' ? input.period : 'this_month';
  const today = midnight(wallTime(now, timeZone));
  const at = (w: Wall) => zonedToUtc(w, timeZone);
  const weekday = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7; // Monday = 0
  const range = (from: Date, to: Date): Range => ({ key, label: LABELS[key], from, to });
  switch (key) {
    case 'today':
      return range(at(today), now);
    case 'yesterday':
      return range(at(addDays(today, -1)), at(today));
    case 'this_week':
      return range(at(addDays(today, -weekday)), now);
    case 'last_week':
      return range(at(addDays(today, -weekday - 7)), at(addDays(today, -weekday)));
    case 'this_month':
      return range(at({ ...today, d: 1 }), now);
    case 'last_month':
      return range(at(addMonths({ ...today, d: 1 }, -1)), at({ ...today, d: 1 }));
    case 'last_7_days':
    case 'last_30_days':
    case 'last_90_days': {
      const days = Number(key.split('_')[1]);
      return range(at(addDays(today, -(days - 1))), now);
    }
    case 'this_year':
      return range(at({ ...today, m: 1, d: 1 }), now);
    case 'custom': {
      let first = parseDay(input.from!);
      let last = parseDay(input.to!);
      if (wallAsUtc(first) > wallAsUtc(last)) [first, last] = [last, first];
      return { key, label: `from ${isoDay(first)} to ${isoDay(last)}`, from: at(first), to: at(addDays(last, 1)) };
    }
  }
}

const PREVIOUS_LABELS: Record<PeriodKey, string> = {
  today: 'yesterday up to the same time',
  yesterday: 'the day before',
  this_week: 'the same days last week',
  last_week: 'the week before',
  this_month: 'the same days last month',
  last_month: 'the month before',
  last_7_days: 'the 7 days before',
  last_30_days: 'the 30 days before',
  last_90_days: 'the 90 days before',
  this_year: 'the same days last year',
  custom: 'the equal period before',
};

/**
 * The comparison period: the same span one unit earlier (last month for a
 * month, the week before for a week, the N days before for N days), cut at the
 * same elapsed time so a running month is compared with the same days of the
 * previous one.
 */
export function previousPeriod(current: Range, timeZone: string): Range {
  const shift = (instant: Date): Date => {
    const w = wallTime(instant, timeZone);
    switch (current.key) {
      case 'this_month':
      case 'last_month':
        return zonedToUtc(addMonths(w, -1), timeZone);
      case 'this_year':
        return zonedToUtc(addMonths(w, -12), timeZone);
      case 'this_week':
      case 'last_week':
        return zonedToUtc(addDays(w, -7), timeZone);
      case 'today':
      case 'yesterday':
        return zonedToUtc(addDays(w, -1), timeZone);
      default:
        return new Date(instant.getTime() - (current.to.getTime() - current.from.getTime()));
    }
  };
  const from = shift(current.from);
  const to = new Date(Math.min(shift(current.to).getTime(), current.from.getTime()));
  return { key: current.key, label: PREVIOUS_LABELS[current.key], from, to };
}

/** ISO strings for tool results. */
export function describeRange(range: Range) {
  return { key: range.key, label: range.label, from: range.from.toISOString(), to: range.to.toISOString() };
}
