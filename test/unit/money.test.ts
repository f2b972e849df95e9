import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromCents, percentOf, toCents, toMoney } from '../../src/shared/money.js';

describe('money', () => {
  it('when values come from MySQL as strings or SQLite as numbers, then they normalise the same', () => {
    assert.equal(toMoney('7.50'), 7.5);
    assert.equal(toMoney(7.5), 7.5);
    assert.equal(toMoney('1999.99'), 1999.99);
  });

  it('when three items cost 19.99, then the total is exactly 59.97', () => {
    assert.equal(fromCents(toCents(19.99) * 3), 59.97);
    assert.equal(fromCents(toCents(0.1) + toCents(0.2)), 0.3);
  });

  it('when a percentage is taken, then it rounds half away from zero to the cent', () => {
    assert.equal(percentOf(toCents(10), 8.25), 83);
    assert.equal(percentOf(toCents(0.5), 50), 25);
    assert.equal(percentOf(toCents(0.05), 50), 3);
  });
});
