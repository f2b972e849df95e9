import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, ledgerSum, makeProduct, stockOf } from '../helpers/trade-fixtures.js';
import { db } from '../../src/db/index.js';

/** Units of a product on sales that were not cancelled. */
async function unitsSold(productId: number): Promise<number> {
  const [row] = await db().query<{ units: string | number | null }>(
    "SELECT SUM(si.quantity) AS units FROM sale_items si JOIN sales s ON s.id = si.sale_id WHERE si.product_id = ? AND s.status = 'completed'",
    { replacements: [productId], type: QueryTypes.SELECT },
  );
  return Number(row.units ?? 0);
}

describe('concurrent sales', () => {
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp();
    token = (await app.userWithRole('staff')).token;
  });
  after(() => app.close());

  const sell = (items: { productId: number; quantity: number }[]) => app.http('POST', '/api/sales', { token, body: { items } });

  it('when 100 one-unit sales race for 20 units, then exactly 20 succeed, 80 get 409, and stock, ledger and invoice numbers agree', async () => {
    const p = await makeProduct({ name: 'Hot Item', stock: 20 });
    const results = await Promise.all(Array.from({ length: 100 }, () => sell([{ productId: p.id, quantity: 1 }])));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 20, `statuses: ${[...new Set(statuses)].join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 80);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'INSUFFICIENT_STOCK');
    assert.equal(await stockOf(p.id), 0);
    assert.equal(await ledgerSum(p.id), 0);
    assert.equal(await unitsSold(p.id), 20);
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.invoiceNumber as string);
    assert.equal(new Set(numbers).size, 20);
    // Numbers are gap-free: failed sales gave theirs back.
    const sequence = numbers.map((n) => Number(n.split('-').pop())).sort((a, b) => a - b);
    assert.deepEqual(sequence, Array.from({ length: 20 }, (_, i) => sequence[0] + i));
    assert.equal(await count('sales'), 20);
  });

  it('when two-line sales (both line orders) race one-line sales on the same products, then nothing oversells and the ledger matches', async () => {
    const a = await makeProduct({ stock: 30 });
    const b = await makeProduct({ stock: 25 });
    const salesBefore = await count('sales');
    const requests = [];
    for (let i = 0; i < 15; i++) {
      requests.push(sell([{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }]));
      requests.push(sell([{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }]));
      requests.push(sell([{ productId: a.id, quantity: 1 }]));
      requests.push(sell([{ productId: b.id, quantity: 1 }]));
    }
    const results = await Promise.all(requests);
    assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'INSUFFICIENT_STOCK')), 'only 201 or 409');
    const ok = results.filter((r) => r.status === 201);
    assert.ok(ok.length > 0 && ok.length < results.length);
    const stockA = await stockOf(a.id);
    const stockB = await stockOf(b.id);
    assert.ok(stockA >= 0 && stockB >= 0);
    assert.equal(await ledgerSum(a.id), stockA);
    assert.equal(await ledgerSum(b.id), stockB);
    assert.equal(await unitsSold(a.id), 30 - stockA);
    assert.equal(await unitsSold(b.id), 25 - stockB);
    const soldInResponses = (id: number) => ok.flatMap((r) => r.body.items).filter((i: { productId: number }) => i.productId === id).reduce((n: number, i: { quantity: number }) => n + i.quantity, 0);
    assert.equal(soldInResponses(a.id), 30 - stockA);
    assert.equal(soldInResponses(b.id), 25 - stockB);
    assert.equal(await count('sales'), salesBefore + ok.length);
    assert.equal(new Set(ok.map((r) => r.body.invoiceNumber)).size, ok.length);
  });

  it('when multi-line sales with one short line race each other, then every one answers 409 and nothing is written', async () => {
    const plenty = await makeProduct({ stock: 100 });
    const short = await makeProduct({ name: 'Almost Gone', stock: 1 });
    const [sales, items, movements] = [await count('sales'), await count('sale_items'), await count('stock_movements')];
    const results = await Promise.all(
      Array.from({ length: 10 }, () => sell([{ productId: plenty.id, quantity: 3 }, { productId: short.id, quantity: 2 }])),
    );
    for (const r of results) {
      assert.equal(r.status, 409);
      assert.match(r.body.error.message, /Almost Gone/);
    }
    assert.equal(await count('sales'), sales);
    assert.equal(await count('sale_items'), items);
    assert.equal(await count('stock_movements'), movements);
    assert.equal(await stockOf(plenty.id), 100);
    assert.equal(await stockOf(short.id), 1);
  });
});
