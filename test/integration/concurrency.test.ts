import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, holdSales, ledgerSum, makeProduct, makeSupplier, stockInvariantViolations, stockOf } from '../helpers/trade-fixtures.js';
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

  const sell = (items: { productId: number; quantity: number }[], extra: Record<string, unknown> = {}) => app.http('POST', '/api/sales', { token, body: { items, ...extra } });

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

  // Sales that arrive while one is being written are recorded together (group commit): refusals stay their own.

  it('when good and bad sales queue behind one being written, then they share one transaction, each bad one is refused alone and each good one is whole', async () => {
    const [hold, plenty, scarce] = [await makeProduct({ stock: 5 }), await makeProduct({ stock: 100, price: 3 }), await makeProduct({ name: 'Last One', stock: 1 })];
    const [sales, items, movements] = [await count('sales'), await count('sale_items'), await count('stock_movements')];
    const sequelize = db() as unknown as { options: { logging: unknown } };
    const logged: string[] = [];
    const kept = sequelize.options.logging;
    sequelize.options.logging = (sql: string) => logged.push(sql);
    const held = await holdSales(hold.id);
    try {
      const first = sell([{ productId: hold.id, quantity: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const bodies: [{ productId: number; quantity: number }[], Record<string, unknown>?][] = [
        // More than ten, so pipeline ids such as sale1 and sale10 must be told apart.
        ...Array.from({ length: 12 }, (): [{ productId: number; quantity: number }[]] => [[{ productId: plenty.id, quantity: 2 }]]),
        [[{ productId: scarce.id, quantity: 2 }]],
        [[{ productId: 999_999_999, quantity: 1 }]],
        [[{ productId: plenty.id, quantity: 1 }], { discount: 50 }],
        [[{ productId: plenty.id, quantity: 1 }, { productId: scarce.id, quantity: 1 }]],
        [[{ productId: scarce.id, quantity: 1 }]],
      ];
      // Sent a little apart, so they reach the queue in this order (the outcomes below depend on it).
      const queued = [];
      for (const [items, extra] of bodies) {
        queued.push(sell(items, extra));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      await held.release();
      assert.equal((await first).status, 201);
      const results = await Promise.all(queued);
      assert.deepEqual(
        results.map((r) => r.status),
        [...Array.from({ length: 12 }, () => 201), 409, 400, 400, 201, 409],
        results.map((r) => r.text).join('\n'),
      );
      assert.equal(results[12].body.error.code, 'INSUFFICIENT_STOCK');
      assert.match(results[12].body.error.message, /Last One.*requested 2, available 1/);
      assert.match(results[16].body.error.message, /Last One.*requested 1, available 0/);
      const good = [first, ...queued.filter((_, i) => ![12, 13, 14, 16].includes(i))];
      const answered = await Promise.all(good);
      // The queued good sales went out in one transaction (Sequelize logs a transaction's queries as "Executing (<its id>): ...").
      const transactions = new Set(logged.filter((sql) => sql.includes('INSERT INTO sales')).map((sql) => sql.match(/^Executing \(([^)]+)\)/)?.[1]));
      assert.equal(transactions.size, 2, 'the held sale, then every queued one together');
      assert.equal(await count('sales'), sales + answered.length);
      assert.equal(await count('sale_items'), items + answered.reduce((n, r) => n + r.body.items.length, 0));
      assert.equal(await count('stock_movements'), movements + answered.reduce((n, r) => n + r.body.items.length, 0));
      assert.equal(await stockOf(plenty.id), 100 - 12 * 2 - 1);
      assert.equal(await stockOf(scarce.id), 0);
      for (const p of [hold, plenty, scarce]) assert.equal(await ledgerSum(p.id), await stockOf(p.id));
      assert.deepEqual(await stockInvariantViolations(), []);
      // In queue order, gap-free, and each stored as answered, with its lines and its audit row.
      const numbers = answered.map((r) => Number(String(r.body.invoiceNumber).split('-').pop()));
      assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i));
      for (const r of answered) {
        const stored = await app.http('GET', `/api/sales/${r.body.id}`, { token });
        assert.deepEqual(stored.body, r.body);
        const [audit] = await db().query<{ n: number | string }>("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'sale.create' AND entity_id = ?", { replacements: [String(r.body.id)], type: QueryTypes.SELECT });
        assert.equal(Number(audit.n), 1);
      }
      const balances = await db().query<{ balance_after: number | string }>('SELECT balance_after FROM stock_movements WHERE product_id = ? ORDER BY id', { replacements: [plenty.id], type: QueryTypes.SELECT });
      assert.deepEqual(balances.map((b) => Number(b.balance_after)), [100, ...Array.from({ length: 12 }, (_, i) => 98 - 2 * i), 75]);
    } finally {
      sequelize.options.logging = kept;
      await held.release();
    }
  });
  it('when the database refuses one sale of a batch, then the others are recorded on their own and only that one fails', async () => {
    const [hold, good, refused] = [await makeProduct({ stock: 5 }), await makeProduct({ stock: 50 }), await makeProduct({ stock: 50 })];
    const sales = await count('sales');
    // A fault the app cannot foresee: the database refuses this product's sale lines.
    const trigger = isSqlite()
      ? `CREATE TRIGGER refuse_lines BEFORE INSERT ON sale_items WHEN NEW.product_id = ${refused.id} BEGIN SELECT RAISE(ABORT, 'refused by the database'); END`
      : `CREATE TRIGGER refuse_lines BEFORE INSERT ON sale_items FOR EACH ROW BEGIN IF NEW.product_id = ${refused.id} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the database'; END IF; END`;
    await db().query(trigger);
    try {
      const held = await holdSales(hold.id);
      const first = sell([{ productId: hold.id, quantity: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const queued = [sell([{ productId: good.id, quantity: 1 }]), sell([{ productId: refused.id, quantity: 1 }]), sell([{ productId: good.id, quantity: 2 }])];
      await new Promise((resolve) => setTimeout(resolve, 300));
      await held.release();
      assert.equal((await first).status, 201);
      const results = await Promise.all(queued);
      // The refused one gets the error its fault maps to (500 on MariaDB, a constraint on SQLite), the others their sale.
      assert.deepEqual(results.map((r) => r.status === 201), [true, false, true], results.map((r) => r.text).join('\n'));
      assert.ok(results[1].status >= 400, results[1].text);
      assert.doesNotMatch(results[1].text, /refused by the database|sale_items|INSERT/, 'no SQL or database text in the answer');
      assert.equal(await count('sales'), sales + 3);
      assert.equal(await stockOf(good.id), 47);
      assert.equal(await stockOf(refused.id), 50);
      assert.equal(await ledgerSum(refused.id), 50);
    } finally {
      await db().query('DROP TRIGGER IF EXISTS refuse_lines');
    }
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
