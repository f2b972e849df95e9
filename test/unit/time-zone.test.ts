import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wallAsUtc, wallTime, type Wall } from '../../src/shared/time-zone.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time as Intl gives it, asked for every instant. */
function expected(instant: Date, timeZone: string): Wall {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second, ms: instant.getUTCMilliseconds() };
}

// Whole-hour, half-hour and quarter-hour offsets, half-hour DST, southern-hemisphere DST, none.
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Sao_Paulo'];

describe('wallTime', () => {
  it('when instants cross a year of a zone every 37 minutes and 13.5 seconds, then each wall-clock time is what Intl gives', () => {
    for (const zone of ZONES) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 37 * 60_000 + 13_500) {
        assert.deepEqual(wallTime(new Date(t), zone), expected(new Date(t), zone), `${zone} ${new Date(t).toISOString()}`);
      }
    }
  });

  it('when instants step second by second over each offset change (and back within a minute), then each wall-clock time is what Intl gives', () => {
    for (const zone of ZONES) {
      const offset = (t: number) => wallAsUtc(expected(new Date(t), zone)) - t;
      let changes = 0;
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
        if (offset(t) === offset(t + 3_600_000)) continue;
        changes++;
        for (let s = t; s <= t + 3_600_000; s += 1_000) {
          assert.deepEqual(wallTime(new Date(s), zone), expected(new Date(s), zone), `${zone} ${new Date(s).toISOString()}`);
          // An earlier instant in the same minute after a later one.
          assert.deepEqual(wallTime(new Date(s - (s % 60_000)), zone), expected(new Date(s - (s % 60_000)), zone));
        }
      }
      if (zone !== 'UTC' && zone !== 'Asia/Kathmandu' && zone !== 'America/Sao_Paulo') assert.ok(changes >= 2, `${zone} has its offset changes in 2026`);
    }
  });
});
