import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calendarMonth, lastMonths, monthStart } from '../../src/modules/analytics/periods.js';

describe('dashboard months in the shop time zone', () => {
  it('when a month starts in a zone, then its UTC instant carries the zone offset, DST included', () => {
    assert.equal(monthStart(2026, 3, 'UTC').toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(monthStart(2026, 3, 'Europe/Berlin').toISOString(), '2026-02-28T23:00:00.000Z');
    assert.equal(monthStart(2026, 4, 'Europe/Berlin').toISOString(), '2026-03-31T22:00:00.000Z');
    assert.equal(monthStart(2026, 4, 'America/New_York').toISOString(), '2026-04-01T04:00:00.000Z');
    assert.equal(monthStart(2026, 13, 'Asia/Kolkata').toISOString(), '2026-12-31T18:30:00.000Z');
  });

  it('when it is already the 1st in Tokyo, then the calendar month there is the next one', () => {
    assert.deepEqual(calendarMonth(new Date('2026-01-31T20:00:00Z'), 'Asia/Tokyo'), { year: 2026, month: 2 });
    assert.deepEqual(calendarMonth(new Date('2026-01-31T20:00:00Z'), 'UTC'), { year: 2026, month: 1 });
  });

  it('when the last 12 months are asked across a year end, then they are contiguous and end with the current one', () => {
    const months = lastMonths(12, new Date('2026-02-10T12:00:00Z'), 'UTC');
    assert.equal(months.length, 12);
    assert.equal(months[0].key, '2025-03');
    assert.equal(months[11].key, '2026-02');
    for (let i = 1; i < 12; i += 1) assert.equal(months[i].start.getTime(), months[i - 1].end.getTime());
    assert.equal(months[11].end.toISOString(), '2026-03-01T00:00:00.000Z');
  });
});
