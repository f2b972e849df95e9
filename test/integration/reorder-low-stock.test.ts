import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { daysAgo, makeProduct, recordPurchase, recordSale } from '../helpers/reporting-fixtures.js';
import type { Product } from '../../src/modules/products/product.model.js';

describe('reorder candidates include every low-stock product', () => {
  let app: TestApp;
  let stapler: Product;
  let covered: Product;
  let plenty: Product;

  before(async () => {
    app = await startTestApp();
    // At 2, under its threshold of 10, and nothing sold lately: the velocity formula alone sees no demand.
    stapler = await makeProduct({ name: 'Stapler S', category: 'Office', price: 12, costPrice: 6, stock: 3, lowStockThreshold: 10 });
    await recordSale([{ productId: stapler.id, quantity: 1, unitPrice: 12 }], { at: daysAgo(90) });
    // Low too, but enough is already on order to lift it above the threshold.
    covered = await makeProduct({ name: 'Tape T', category: 'Office', price: 3, costPrice: 1, stock: 4, lowStockThreshold: 5 });
    await recordPurchase(null, [{ productId: covered.id, quantity: 10, unitCost: 1 }], { status: 'ordered', at: daysAgo(1) });
    plenty = await makeProduct({ name: 'Paper P', category: 'Office', price: 5, costPrice: 2, stock: 80, lowStockThreshold: 10 });
  });
  after(() => app.close());

  it('when a product sits under its threshold with no recent sales, then it is listed with a reason saying so and enough to lift it above', async () => {
    const res = await app.http('GET', '/api/inventory/reorder-recommendations', { token: app.adminToken });
    assert.equal(res.status, 200);
    const byName = Object.fromEntries(res.body.data.map((r: { name: string }) => [r.name, r]));
    assert.ok(byName['Stapler S'], JSON.stringify(res.body.data));
    assert.equal(byName['Stapler S'].stock, 2);
    assert.equal(byName['Stapler S'].dailySalesRate, 0);
    assert.equal(byName['Stapler S'].recommendedQuantity, 9, 'threshold 10 + 1 - 2 in stock');
    assert.match(byName['Stapler S'].reason, /2 in stock is at or below the low-stock threshold of 10/);
    assert.match(byName['Stapler S'].reason, /order 9 to bring stock above the threshold/);
    assert.ok(byName['Tape T'], 'a low product is a candidate even when purchases already cover it');
    assert.equal(byName['Tape T'].onOrder, 10);
    assert.equal(byName['Paper P'], undefined);
    assert.ok(plenty.id);
  });

  it('when the AI is asked what to restock, then it names the low product rather than "nothing needs reordering"', async () => {
    const res = await app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question: 'Which products should I restock?' } });
    assert.equal(res.status, 200);
    assert.ok(res.body.data.reorder_recommendations.recommendations.some((r: { productId: number }) => r.productId === stapler.id));
    assert.match(res.body.response, /Stapler S/);
    assert.doesNotMatch(res.body.response, /[Nn]othing needs reordering/);
    assert.ok(covered.id);
  });
});
