import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, ledgerSum, makeProduct, makeSupplier, stockOf } from '../helpers/trade-fixtures.js';
import { db, isSqlite, transaction } from '../../src/db/index.js';
import { Product } from '../../src/modules/products/product.model.js';

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
    for (let i = 0; i < 20; i++) {
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

describe('receiving and cancelling one purchase at the same moment', () => {
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp();
    token = (await app.userWithRole('manager')).token;
  });
  after(() => app.close());

  it('when two transactions lock the same two rows in opposite orders (a certain MariaDB deadlock), then the loser is run again and both commit', async (t) => {
    if (isSqlite()) {
      t.skip('SQLite has one writer: transactions queue and never deadlock');
      return;
    }
    const [a, b] = [await makeProduct(), await makeProduct()];
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => (release = resolve));
    const crosswise = (first: number, second: number, name: string) =>
      transaction(async () => {
        attempts += 1;
        await Product.findByPk(first, { lock: true });
        if (++arrived === 2) release();
        await bothHoldTheirFirstRow;
        await Product.update({ name }, { where: { id: second } });
      });
    await Promise.all([crosswise(a.id, b.id, 'B by first'), crosswise(b.id, a.id, 'A by second')]);
    assert.equal(attempts, 3, 'one of the two ran again after InnoDB chose it as the deadlock victim');
  });

  it('when receive and cancel race on each of 20 purchases (sharing products), then each ends received or cancelled with 2xx/409 only, and stock and ledger agree', async () => {
    const supplier = await makeSupplier();
    const products = [await makeProduct({ stock: 5 }), await makeProduct({ stock: 5 }), await makeProduct({ stock: 5 })];
    const purchases: number[] = [];
    for (let i = 0; i < 20; i++) {
      // Both line orders, so receipts lock the shared product rows in either order.
      const lines = i % 2 ? [products[0], products[1], products[2]] : [products[2], products[0], products[1]];
      const res = await app.http('POST', '/api/purchases', { token, body: { supplierId: supplier.id, items: lines.map((p, n) => ({ productId: p.id, quantity: n + 1, unitCost: 2 })) } });
      assert.equal(res.status, 201, res.text);
      purchases.push(res.body.id);
    }
    const results = await Promise.all(
      purchases.flatMap((id, i) => {
        const receive = () => app.http('POST', `/api/purchases/${id}/receive`, { token, body: {} });
        const cancel = () => app.http('POST', `/api/purchases/${id}/cancel`, { token });
        return i % 2 ? [receive(), cancel()] : [cancel(), receive()];
      }),
    );
    const statuses = results.map((r) => r.status);
    assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 409), [], `statuses: ${statuses.join(',')}`);
    // A deadlock is retried, so the loser hears why it lost in business terms, not "collided".
    const reasons = results.filter((r) => r.status === 409).map((r) => r.body.error.message as string);
    assert.deepEqual(reasons.filter((m) => !/already (been received|cancelled|received)/.test(m)), []);
    let received = 0;
    for (let i = 0; i < purchases.length; i++) {
      const [a, b] = [results[2 * i], results[2 * i + 1]];
      assert.equal([a, b].filter((r) => r.status === 200).length, 1, `purchase ${purchases[i]}: exactly one of receive/cancel wins (${a.status}, ${b.status})`);
      const { status } = (await app.http('GET', `/api/purchases/${purchases[i]}`, { token })).body;
      assert.ok(status === 'received' || status === 'cancelled', status);
      if (status === 'received') received += 1;
    }
    for (const p of products) {
      assert.equal(await stockOf(p.id), await ledgerSum(p.id), `ledger of product ${p.id}`);
    }
    // Each purchase orders 1, 2 and 3 units of the three products: 6 units a received purchase.
    const total = (await Promise.all(products.map((p) => stockOf(p.id)))).reduce((a, b) => a + b, 0);
    assert.equal(total, 15 + 6 * received);
  });
});
