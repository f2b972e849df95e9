import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reorderRecommendation } from '../../src/modules/inventory/reorder.js';

describe('reorder formula', () => {
  it('when a product sells 6/day with 12 left and a 10-day lead time, then it reorders enough for lead time, safety and 30 days', () => {
    const r = reorderRecommendation({ stock: 12, unitsSold: 180, leadTimeDays: 10, onOrder: 0 });
    assert.equal(r.dailySalesRate, 6);
    assert.equal(r.daysOfCover, 2);
    assert.equal(r.safetyDays, 5);
    assert.equal(r.safetyStock, 30);
    assert.equal(r.reorderPoint, 90);
    // 90 + 6 x 30 - 12 - 0
    assert.equal(r.recommendedQuantity, 258);
    assert.equal(r.needsReorder, true);
    assert.match(r.reason, /^Sells 6\/day \(180 in 30 days\); 12 left covers 2 days, less than the 10-day supplier lead time plus 5 days safety stock/);
    assert.match(r.reason, /0 on order; order 258 to cover 30 days/);
  });

  it('when stock plus open purchases exceed the reorder point, then no reorder is needed', () => {
    const r = reorderRecommendation({ stock: 40, unitsSold: 60, leadTimeDays: 7, onOrder: 100 });
    // rate 2: safety ceil(2 x 4) = 8, reorder point 14 + 8 = 22
    assert.equal(r.reorderPoint, 22);
    assert.equal(r.needsReorder, false);
  });

  it('when units are on order, then they reduce the quantity to order', () => {
    const r = reorderRecommendation({ stock: 5, unitsSold: 60, leadTimeDays: 7, onOrder: 10 });
    assert.equal(r.reorderPoint, 22);
    // 22 + 60 - 5 - 10
    assert.equal(r.recommendedQuantity, 67);
    assert.match(r.reason, /10 on order/);
  });

  it('when the product reorder quantity is larger, then it wins; when smaller, the computed need wins', () => {
    assert.equal(reorderRecommendation({ stock: 0, unitsSold: 30, onOrder: 0, reorderQuantity: 500 }).recommendedQuantity, 500);
    // rate 1, lead 7 (default), safety ceil(1 x 4) = 4, point 11, need 11 + 30 = 41
    const r = reorderRecommendation({ stock: 0, unitsSold: 30, onOrder: 0, reorderQuantity: 20 });
    assert.equal(r.leadTimeDays, 7);
    assert.equal(r.recommendedQuantity, 41);
  });

  it('when a slow seller sells a little, then safety stock is at least 1 and figures round up', () => {
    const r = reorderRecommendation({ stock: 0, unitsSold: 1, leadTimeDays: 3, onOrder: 0 });
    assert.equal(r.dailySalesRate, 0.03);
    assert.equal(r.daysOfCover, 0);
    assert.equal(r.safetyStock, 1);
    // ceil(1/30 x 3) = 1 + 1
    assert.equal(r.reorderPoint, 2);
    // ceil(2 + 1 - 0)
    assert.equal(r.recommendedQuantity, 3);
  });

  it('when nothing sold, then days of cover is null and only a reorder quantity makes an out-of-stock product worth ordering', () => {
    const idle = reorderRecommendation({ stock: 0, unitsSold: 0, onOrder: 0 });
    assert.equal(idle.daysOfCover, null);
    assert.equal(idle.reorderPoint, 0);
    assert.equal(idle.needsReorder, false);
    const withQuantity = reorderRecommendation({ stock: 0, unitsSold: 0, onOrder: 0, reorderQuantity: 25 });
    assert.equal(withQuantity.needsReorder, true);
    assert.equal(withQuantity.recommendedQuantity, 25);
    assert.match(withQuantity.reason, /^No sales in the last 30 days/);
    assert.equal(reorderRecommendation({ stock: 3, unitsSold: 0, onOrder: 0, reorderQuantity: 25 }).needsReorder, false);
  });

  it('when stock is at or below its low-stock threshold, then it is always recommended, with enough to lift it above the threshold', () => {
    const unsold = reorderRecommendation({ stock: 2, unitsSold: 0, onOrder: 0, threshold: 10 });
    assert.equal(unsold.needsReorder, true);
    assert.equal(unsold.recommendedQuantity, 9);
    assert.match(unsold.reason, /^2 in stock is at or below the low-stock threshold of 10\. No sales/);
    const withQuantity = reorderRecommendation({ stock: 2, unitsSold: 0, onOrder: 0, threshold: 10, reorderQuantity: 24 });
    assert.equal(withQuantity.recommendedQuantity, 24);
    const above = reorderRecommendation({ stock: 11, unitsSold: 0, onOrder: 0, threshold: 10 });
    assert.equal(above.needsReorder, false);
  });
});
