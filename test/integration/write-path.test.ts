import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ledgerSum, makeProduct, stockInvariantViolations, stockOf } from '../helpers/trade-fixtures.js';
import { affectedRows, afterPrevious, db, isSqlite, pipelined, selectRows, transaction } from '../../src/db/index.js';
import { setInvoiceSequence } from '../../src/modules/sales/invoice-number.js';
import { ReadCache } from '../../src/shared/read-cache.js';
import { readGeneration } from '../../src/shared/cache-generation.js';

describe('the sale write path', () => {
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp();
    token = (await app.userWithRole('staff')).token;
  });
  after(() => app.close());

  it('when a pipelined write follows one that changed nothing or failed, then its guard makes it change nothing', async () => {
    const product = await makeProduct({ stock: 5 });
    const bump = (sql: string) => ({ sql, replacements: { id: product.id }, type: QueryTypes.UPDATE });
    const results = await transaction(() =>
      pipelined([
        bump('UPDATE products SET stock = stock + 1 WHERE id = :id AND stock < 0'),
        bump(`UPDATE products SET stock = stock + 100 WHERE id = :id AND ${afterPrevious()}`),
      ]),
    );
    assert.deepEqual(results.map(affectedRows), [0, 0]);
    // A failing statement (a duplicate key) does not let the guarded write after it through either.
    await assert.rejects(
      transaction(() =>
        pipelined([
          { sql: 'INSERT INTO locations (id, code, name, is_default, created_at, updated_at) SELECT id, code, name, 0, created_at, updated_at FROM locations WHERE is_default = 1', type: QueryTypes.INSERT },
          bump(`UPDATE products SET stock = stock + 100 WHERE id = :id AND ${afterPrevious()}`),
        ]),
      ),
    );
    assert.equal(await stockOf(product.id), 5);
  });

  it('when a pipeline carries a value that looks like SQL, then it is stored as text and runs nothing', async () => {
    const product = await makeProduct({ stock: 5 });
    const note = "x'; DELETE FROM products; -- \\'; DROP TABLE sales; --";
    const [, read] = await transaction(() =>
      pipelined([
        { sql: 'UPDATE products SET description = :note WHERE id = :id', replacements: { note, id: product.id }, type: QueryTypes.UPDATE },
        { sql: 'SELECT description FROM products WHERE id = :id', replacements: { id: product.id }, type: QueryTypes.SELECT },
      ]),
    );
    assert.deepEqual(read, [{ description: note }]);
    // Nothing was deleted or dropped: the product keeps its stock and the sales table still answers.
    assert.equal(await stockOf(product.id), 5);
    assert.equal((await selectRows<{ n: number }>('SELECT COUNT(*) AS n FROM sales')).length, 1);
  });

  it('when a sale takes the last units and another finds none, then the first is whole (lines, ledger, invoice) and the second left nothing behind', async () => {
    const product = await makeProduct({ stock: 2, price: 4 });
    const sold = await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 2 }] } });
    assert.equal(sold.status, 201);
    const short = await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 1 }] } });
    assert.equal(short.status, 409);
    assert.equal(short.body.error.code, 'INSUFFICIENT_STOCK');
    assert.equal(await stockOf(product.id), 0);
    assert.equal(await ledgerSum(product.id), 0);
    assert.deepEqual(await stockInvariantViolations(), []);
    const lines = await selectRows<{ sale_id: number; quantity: number }>('SELECT sale_id, quantity FROM sale_items WHERE product_id = :id', { id: product.id });
    assert.deepEqual(lines.map((l) => [Number(l.sale_id), Number(l.quantity)]), [[sold.body.id, 2]]);
    const stored = await app.http('GET', `/api/sales/${sold.body.id}`, { token });
    assert.equal(stored.body.invoiceNumber, sold.body.invoiceNumber);
  });

  it('when a sale is recorded on MySQL/MariaDB, then its transaction is four round trips (start, one read, one write pipeline, commit)', async (t) => {
    if (isSqlite()) return t.skip('SQLite runs a pipeline statement by statement, in process');
    const product = await makeProduct({ stock: 5, price: 4 });
    await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 1 }] } }); // settings and sequences warm
    const sequelize = db() as unknown as { options: { logging: unknown } };
    const logged: string[] = [];
    const kept = sequelize.options.logging;
    sequelize.options.logging = (sql: string) => logged.push(sql);
    try {
      const sold = await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 1 }] } });
      assert.equal(sold.status, 201, sold.text);
    } finally {
      sequelize.options.logging = kept;
    }
    // Sequelize logs each query it sends, a transaction's as "Executing (<its id>): ...".
    const sale = logged.find((sql) => sql.includes('INSERT INTO sales'))?.match(/^Executing \(([^)]+)\)/)?.[1];
    assert.ok(sale && sale !== 'default', logged.join('\n'));
    assert.deepEqual(
      logged.filter((sql) => sql.startsWith(`Executing (${sale})`)).map((sql) => sql.slice(`Executing (${sale}): `.length, `Executing (${sale}): `.length + 18)),
      ['START TRANSACTION;', '/* pipeline */ SEL', '/* pipeline */ INS', 'COMMIT;'],
    );
  });

  it('when the invoice counter passes six digits, then the stored number keeps every digit and matches the answer', async () => {
    const product = await makeProduct({ stock: 10 });
    const first = await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 1 }] } });
    const year = first.body.invoiceNumber.split('-')[1];
    await setInvoiceSequence(year, 999_999);
    const sale = await app.http('POST', '/api/sales', { token, body: { items: [{ productId: product.id, quantity: 1 }] } });
    assert.equal(sale.body.invoiceNumber, `INV-${year}-1000000`);
    assert.equal((await app.http('GET', `/api/sales/${sale.body.id}`, { token })).body.invoiceNumber, 'INV-' + year + '-1000000');
  });

  it('when many committed writes invalidate a cache at once, then the shared generation moves past all of them in at most two bumps', async () => {
    const cache = new ReadCache<{ value: number }>({ name: 'coalesceProbe', max: 1, ttlMs: 60_000 });
    const before = Number(await readGeneration('coalesceProbe'));
    await Promise.all(Array.from({ length: 20 }, () => cache.invalidate()));
    const after = Number(await readGeneration('coalesceProbe'));
    assert.ok(after > before, 'bumped');
    assert.ok(after - before <= 2, `${after - before} bumps for 20 writes`);
    // A write after those gets a bump of its own.
    await cache.invalidate();
    assert.equal(Number(await readGeneration('coalesceProbe')), after + 1);
  });
});
