import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { previousPeriod, resolvePeriod, zonedToUtc } from '../../src/modules/ai/periods.js';
import { matchProduct } from '../../src/modules/ai/product-match.js';
import { understandEntities } from '../../src/modules/ai/nlu/entities.js';

const iso = (d: Date) => d.toISOString();

describe('periods', () => {
  const now = new Date('2026-03-10T02:30:00Z'); // Tuesday; still 9 March in New York

  it('when the zone is UTC, then this month starts on the 1st at midnight UTC and runs to now', () => {
    const r = resolvePeriod({ period: 'this_month' }, 'UTC', now);
    assert.equal(iso(r.from), '2026-03-01T00:00:00.000Z');
    assert.equal(iso(r.to), iso(now));
  });

  it('when the zone is New York, then "today" and "this week" follow its calendar (DST-aware)', () => {
    const today = resolvePeriod({ period: 'today' }, 'America/New_York', now);
    assert.equal(iso(today.from), '2026-03-09T04:00:00.000Z'); // EDT began 8 March
    const week = resolvePeriod({ period: 'this_week' }, 'America/New_York', now);
    assert.equal(iso(week.from), '2026-03-09T04:00:00.000Z'); // Monday 9 March
    const lastWeek = resolvePeriod({ period: 'last_week' }, 'America/New_York', now);
    assert.equal(iso(lastWeek.from), '2026-03-02T05:00:00.000Z'); // still EST
    assert.equal(iso(lastWeek.to), '2026-03-09T04:00:00.000Z');
  });

  it('when last month is asked in Tokyo, then it is the whole previous local month', () => {
    const r = resolvePeriod({ period: 'last_month' }, 'Asia/Tokyo', now);
    assert.equal(iso(r.from), '2026-01-31T15:00:00.000Z');
    assert.equal(iso(r.to), '2026-02-28T15:00:00.000Z');
  });

  it('when the last N days are asked, then today counts as one of them', () => {
    const r = resolvePeriod({ period: 'last_7_days' }, 'UTC', now);
    assert.equal(iso(r.from), '2026-03-04T00:00:00.000Z');
  });

  it('when explicit dates are given, then both days are included (in either order)', () => {
    const r = resolvePeriod({ from: '2026-02-15', to: '2026-01-01' }, 'Europe/Berlin', now);
    assert.equal(iso(r.from), '2025-12-31T23:00:00.000Z');
    assert.equal(iso(r.to), '2026-02-15T23:00:00.000Z');
    assert.equal(r.label, 'from 2026-01-01 to 2026-02-15');
  });

  it('when a running month is compared, then the previous period is the same days of last month', () => {
    const march31 = new Date('2026-03-31T12:00:00Z');
    const prev = previousPeriod(resolvePeriod({ period: 'this_month' }, 'UTC', march31), 'UTC');
    assert.equal(iso(prev.from), '2026-02-01T00:00:00.000Z');
    assert.equal(iso(prev.to), '2026-02-28T12:00:00.000Z');
    const prev30 = previousPeriod(resolvePeriod({ period: 'last_30_days' }, 'UTC', now), 'UTC');
    assert.equal(prev30.to.getTime(), resolvePeriod({ period: 'last_30_days' }, 'UTC', now).from.getTime());
  });

  it('when a wall time falls in a DST gap, then the next valid instant is used', () => {
    assert.equal(iso(zonedToUtc({ y: 2026, m: 3, d: 8, h: 2, mi: 30 }, 'America/New_York')).slice(0, 13), '2026-03-08T07');
  });

  it('when a question names a period, then the earliest phrase wins', () => {
    const periodFromText = (q: string) => understandEntities(q, { products: [], categories: [], suppliers: [] }, now, 'UTC').entities.period;
    assert.deepEqual(periodFromText('sales this month vs last month'), { period: 'this_month' });
    assert.deepEqual(periodFromText('What sold best last week?'), { period: 'last_week' });
    assert.deepEqual(periodFromText('revenue in the past 30 days'), { period: 'last_30_days' });
    assert.deepEqual(periodFromText('sales from 2026-01-01 to 2026-02-15'), { period: 'custom', from: '2026-01-01', to: '2026-02-15' });
    assert.deepEqual(periodFromText('year to date revenue'), { period: 'this_year' });
    assert.equal(periodFromText('what is low on stock?'), undefined);
  });
});

describe('product matching', () => {
  const products = [
    { id: 1, sku: 'NET-000001', name: 'Router A1' },
    { id: 2, sku: 'NET-000002', name: 'Mesh Node M2' },
    { id: 3, sku: 'CLE-000001', name: 'Hand Sanitizer 500ml' },
    { id: 4, sku: 'OFF-000003', name: 'Ergonomic Office Chair' },
  ];

  it('when the query is a SKU, a part of a name, words in any order or a typo, then the right product is found', () => {
    assert.equal(matchProduct('net-000002', products).product?.id, 2);
    assert.equal(matchProduct('sanitizer', products).matchType, 'contains');
    assert.equal(matchProduct('chair ergonomic', products).product?.id, 4);
    assert.equal(matchProduct('ruoter a1', products).product?.id, 1);
    assert.equal(matchProduct('ruoter a1', products).matchType, 'fuzzy');
  });

  it('when nothing is close, then no product is claimed', () => {
    assert.equal(matchProduct('employees', products).product, null);
  });
});
