/**
 * Calendar arithmetic in the shop's time zone (settings.timezone): wall-clock
 * times to UTC instants the database compares against. Done here rather than
 * with SQL date functions, which differ between SQLite and MariaDB.
 */
/** A wall-clock time on a zone's calendar (month 1-12). */
export interface Wall {
  y: number;
  m: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Per zone, its offset from UTC (ms) during the last UTC minute asked about: zones change offset on whole minutes. */
const lastOffsets = new Map<string, { minute: number; offset: number }>();

/** The wall-clock time in `timeZone` at an instant. */
export function wallTime(instant: Date, timeZone: string): Wall {
  const time = instant.getTime();
  const minute = Math.floor(time / 60_000);
  let known = lastOffsets.get(timeZone);
  if (known?.minute !== minute) {
    const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
    const wall = { y: +parts.year, m: +parts.month, d: +parts.day, h: +parts.hour % 24, mi: +parts.minute, s: +parts.second, ms: instant.getUTCMilliseconds() };
    known = { minute, offset: wallAsUtc(wall) - time };
    lastOffsets.set(timeZone, known);
  }
  const wall = new Date(time + known.offset);
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate(), h: wall.getUTCHours(), mi: wall.getUTCMinutes(), s: wall.getUTCSeconds(), ms: wall.getUTCMilliseconds() };
}

/** Overflowing days and months roll over (Date.UTC normalises them). */
export function wallAsUtc(w: Wall): number {
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s, w.ms);
}

/** The UTC instant of a wall-clock time in `timeZone` (first occurrence across DST changes). */
export function zonedToUtc(w: Partial<Wall> & { y: number; m: number; d: number }, timeZone: string): Date {
  const full: Wall = { h: 0, mi: 0, s: 0, ms: 0, ...w };
  const target = wallAsUtc(full);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const offset = wallAsUtc(wallTime(new Date(guess), timeZone)) - guess;
    const next = target - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}
