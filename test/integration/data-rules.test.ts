import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { makeProduct, makeSupplier, recordOrder, recordPurchase, recordSale } from '../helpers/reporting-fixtures.js';
import { db, isSqlite } from '../../src/db/index.js';
import { createMigrator } from '../../src/db/migrator.js';
import { ruleError } from '../../src/db/rule-errors.js';
import { errorMessage } from '../../src/admin/notice.js';
import { panelError } from '../../src/admin/service-resource.js';
import { useClock } from '../../src/shared/clock.js';
import { CartItem, Coupon, Review } from '../../src/modules/storefront/storefront.models.js';
import { User } from '../../src/modules/users/user.model.js';

const MIGRATION = '0003-invariants-and-ms-timestamps';
const raw = (sql: string) => db().query(sql);
const rows = <T extends object = Record<string, unknown>>(sql: string) => db().query<T>(sql, { type: QueryTypes.SELECT });
const one = async (sql: string) => Number(Object.values((await rows(sql))[0])[0]);

/** The business clock stopped at an instant (the test moves it). */
const clockAt = (iso: string) => useClock(() => new Date(iso));

async function refusal(sql: string): Promise<unknown> {
  try {
    await raw(sql);
  } catch (err) {
    return err;
  }
  assert.fail(`the database accepted: ${sql}`);
}

describe('timestamps keep their milliseconds on every database', () => {
  let app: TestApp;
  let productId: number;

  before(async () => {
    app = await startTestApp({}, { now: MID_MONTH });
    const created = await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'Widget', price: 10, costPrice: 4, stock: 100 } });
    assert.equal(created.status, 201, created.text);
    productId = created.body.id;
  });
  after(() => app.close());

  const sell = async (quantity: number) => {
    const res = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId, quantity }] } });
    assert.equal(res.status, 201, res.text);
    return res.body as { id: number; createdAt: string };
  };

  it('when sales were made earlier in the current second, then "today" and "this month" up to now count them', async () => {
    clockAt('2026-06-17T14:10:05.100Z');
    await sell(2);
    clockAt('2026-06-17T14:10:05.400Z');
    await sell(3);
    clockAt('2026-06-17T14:10:05.700Z');
    for (const question of ['sales today', 'What were total sales this month vs last month?']) {
      const res = await app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question } });
      assert.equal(res.status, 200, res.text);
      const current = res.body.data.sales_summary.current;
      assert.deepEqual({ count: current.count, units: current.units }, { count: 2, units: 5 }, question);
    }
  });

  it('when two sales are a few milliseconds apart, then they read back, sort and filter by those milliseconds', async () => {
    // The later id gets the earlier instant: only the milliseconds can put them in order.
    clockAt('2026-06-17T15:00:00.900Z');
    const later = await sell(1);
    clockAt('2026-06-17T15:00:00.300Z');
    const earlier = await sell(1);
    clockAt('2026-06-17T15:00:01.500Z');

    const read = await app.http('GET', `/api/sales/${earlier.id}`, { token: app.adminToken });
    assert.equal(read.body.createdAt, '2026-06-17T15:00:00.300Z');

    const sorted = await app.http('GET', '/api/sales?from=2026-06-17T15:00:00.000Z&sort=createdAt', { token: app.adminToken });
    assert.deepEqual(sorted.body.data.map((s: { id: number }) => s.id), [earlier.id, later.id]);

    const since = await app.http('GET', '/api/sales?from=2026-06-17T15:00:00.500Z', { token: app.adminToken });
    assert.deepEqual(since.body.data.map((s: { id: number }) => s.id), [later.id]);
  });
});

describe('the database keeps the invariants itself', () => {
  let app: TestApp;
  const ids: Record<string, number> = {};

  before(async () => {
    app = await startTestApp();
    const supplier = await makeSupplier('Acme', 5);
    const idleSupplier = await makeSupplier('Buyer only', 3);
    const product = await makeProduct({ name: 'Router', price: 20, costPrice: 8, stock: 50, supplierId: supplier.id, lowStockThreshold: 5, reorderQuantity: 10 });
    const sale = await recordSale([{ productId: product.id, quantity: 2, unitPrice: 20 }], { taxRate: 10 });
    const purchase = await recordPurchase(idleSupplier.id, [{ productId: product.id, quantity: 5, unitCost: 8 }], { status: 'ordered' });
    const shopper = await app.userWithRole('customer');
    const order = await recordOrder(shopper.user.id, [{ productId: product.id, quantity: 1, unitPrice: 20 }]);
    const coupon = await Coupon.create({ code: 'SPRING', discountPercent: 10, validFrom: new Date('2026-03-01T00:00:00Z'), validTo: new Date('2026-06-01T00:00:00Z'), usageLimit: 5 });
    await CartItem.create({ userId: shopper.user.id, productId: product.id, quantity: 2 });
    await Review.create({ userId: shopper.user.id, productId: product.id, rating: 4, comment: 'fine' });
    const admin = (await User.findOne({ where: { role: 'admin' } }))!;
    Object.assign(ids, { supplier: supplier.id, idleSupplier: idleSupplier.id, product: product.id, sale: sale.id, purchase: purchase.id, order: order.id, coupon: coupon.id, admin: admin.id });
  });
  after(() => app.close());

  /** [table, field the error names, statement that breaks exactly that rule] */
  const checks = (): [string, string, string][] => [
    ['users', 'tokenVersion', `UPDATE users SET token_version = -1 WHERE id = ${ids.admin}`],
    ['suppliers', 'leadTimeDays', `UPDATE suppliers SET lead_time_days = -1 WHERE id = ${ids.supplier}`],
    ['products', 'stock', `UPDATE products SET stock = -1 WHERE id = ${ids.product}`],
    ['products', 'price', `UPDATE products SET price = -0.01 WHERE id = ${ids.product}`],
    ['products', 'costPrice', `UPDATE products SET cost_price = -1 WHERE id = ${ids.product}`],
    ['products', 'discountPercent', `UPDATE products SET discount_percent = 100.01 WHERE id = ${ids.product}`],
    ['products', 'lowStockThreshold', `UPDATE products SET low_stock_threshold = -1 WHERE id = ${ids.product}`],
    ['products', 'reorderQuantity', `UPDATE products SET reorder_quantity = -1 WHERE id = ${ids.product}`],
    ['sales', 'discount', `UPDATE sales SET discount = subtotal + 1 WHERE id = ${ids.sale}`],
    ['sales', 'discount', `UPDATE sales SET discount = -1 WHERE id = ${ids.sale}`],
    ['sales', 'taxRate', `UPDATE sales SET tax_rate = 101 WHERE id = ${ids.sale}`],
    ['sales', 'tax', `UPDATE sales SET tax = -1 WHERE id = ${ids.sale}`],
    ['sales', 'total', `UPDATE sales SET total = -1 WHERE id = ${ids.sale}`],
    ['sale_items', 'quantity', `UPDATE sale_items SET quantity = 0 WHERE sale_id = ${ids.sale}`],
    ['sale_items', 'unitPrice', `UPDATE sale_items SET unit_price = -1 WHERE sale_id = ${ids.sale}`],
    ['sale_items', 'unitCost', `UPDATE sale_items SET unit_cost = -1 WHERE sale_id = ${ids.sale}`],
    ['sale_items', 'lineTotal', `UPDATE sale_items SET line_total = -1 WHERE sale_id = ${ids.sale}`],
    ['purchases', 'totalCost', `UPDATE purchases SET total_cost = -1 WHERE id = ${ids.purchase}`],
    ['purchase_items', 'quantity', `UPDATE purchase_items SET quantity = 0 WHERE purchase_id = ${ids.purchase}`],
    ['purchase_items', 'receivedQuantity', `UPDATE purchase_items SET received_quantity = quantity + 1 WHERE purchase_id = ${ids.purchase}`],
    ['purchase_items', 'receivedQuantity', `UPDATE purchase_items SET received_quantity = -1 WHERE purchase_id = ${ids.purchase}`],
    ['purchase_items', 'unitCost', `UPDATE purchase_items SET unit_cost = -1 WHERE purchase_id = ${ids.purchase}`],
    ['purchase_items', 'lineTotal', `UPDATE purchase_items SET line_total = -1 WHERE purchase_id = ${ids.purchase}`],
    ['stock_movements', 'balanceAfter', `UPDATE stock_movements SET balance_after = -1 WHERE product_id = ${ids.product}`],
    ['coupons', 'discountPercent', `UPDATE coupons SET discount_percent = 250 WHERE id = ${ids.coupon}`],
    ['coupons', 'validTo', `UPDATE coupons SET valid_to = '2026-02-01 00:00:00.000${isSqlite() ? ' +00:00' : ''}' WHERE id = ${ids.coupon}`],
    ['coupons', 'usageLimit', `UPDATE coupons SET usage_limit = -1 WHERE id = ${ids.coupon}`],
    ['coupons', 'usedCount', `UPDATE coupons SET used_count = -1 WHERE id = ${ids.coupon}`],
    ['cart_items', 'quantity', `UPDATE cart_items SET quantity = 0 WHERE product_id = ${ids.product}`],
    ['orders', 'discount', `UPDATE orders SET discount = subtotal + 1 WHERE id = ${ids.order}`],
    ['orders', 'tax', `UPDATE orders SET tax = -1 WHERE id = ${ids.order}`],
    ['orders', 'total', `UPDATE orders SET total = -1 WHERE id = ${ids.order}`],
    ['order_items', 'quantity', `UPDATE order_items SET quantity = 0 WHERE order_id = ${ids.order}`],
    ['order_items', 'unitPrice', `UPDATE order_items SET unit_price = -1 WHERE order_id = ${ids.order}`],
    ['order_items', 'discountPercent', `UPDATE order_items SET discount_percent = 101 WHERE order_id = ${ids.order}`],
    ['order_items', 'lineTotal', `UPDATE order_items SET line_total = -1 WHERE order_id = ${ids.order}`],
    ['reviews', 'rating', `UPDATE reviews SET rating = 0 WHERE product_id = ${ids.product}`],
    ['reviews', 'rating', `UPDATE reviews SET rating = 6 WHERE product_id = ${ids.product}`],
  ];

  it('when raw SQL breaks a CHECK rule, then the database refuses it and the error names the field (400), for the API and the panel', async () => {
    const stock = await one(`SELECT stock FROM products WHERE id = ${ids.product}`);
    for (const [table, field, sql] of checks()) {
      const err = await refusal(sql);
      const known = ruleError(err);
      assert.ok(known, `${sql}: ${(err as Error).message}`);
      assert.equal(known.status, 400, sql);
      assert.equal(known.code, 'VALIDATION_FAILED', sql);
      assert.deepEqual(known.details?.map((d) => d.path), [field], `${table}: ${sql}`);
      assert.doesNotMatch(known.message, /CHECK|constraint|UPDATE|ck_/i);
      assert.equal(errorMessage(err), known.message);
      const inPanel = panelError(err) as Error & { propertyErrors?: Record<string, { message: string }> };
      assert.deepEqual(Object.keys(inPanel.propertyErrors ?? {}), [field], sql);
    }
    // Nothing changed, and rows that keep the rules still write.
    assert.equal(await one(`SELECT stock FROM products WHERE id = ${ids.product}`), stock);
    await raw(`UPDATE products SET stock = 0, discount_percent = 100 WHERE id = ${ids.product}`);
    await raw(`UPDATE products SET stock = ${stock}, discount_percent = 0 WHERE id = ${ids.product}`);
  });

  it('when raw SQL deletes a supplier, document or product something still refers to, then the database refuses (409 CONFLICT)', async () => {
    const deletes = [
      `DELETE FROM suppliers WHERE id = ${ids.supplier}`, // has a product (was SET NULL)
      `DELETE FROM suppliers WHERE id = ${ids.idleSupplier}`, // has a purchase only (was SET NULL)
      `DELETE FROM sales WHERE id = ${ids.sale}`, // its lines (was CASCADE)
      `DELETE FROM purchases WHERE id = ${ids.purchase}`,
      `DELETE FROM orders WHERE id = ${ids.order}`,
      `DELETE FROM products WHERE id = ${ids.product}`, // sale lines and ledger rows
    ];
    for (const sql of deletes) {
      const err = await refusal(sql);
      const known = ruleError(err);
      assert.equal(known?.status, 409, `${sql}: ${(err as Error).message}`);
      assert.equal(known?.code, 'CONFLICT');
      assert.doesNotMatch(known!.message, /FOREIGN|constraint|DELETE/i);
    }
    assert.equal(await one(`SELECT supplier_id FROM products WHERE id = ${ids.product}`), ids.supplier);
    assert.equal(await one(`SELECT COUNT(*) FROM sale_items WHERE sale_id = ${ids.sale}`), 1);
    assert.equal(await one(`SELECT supplier_id FROM purchases WHERE id = ${ids.purchase}`), ids.idleSupplier);
  });

  it('when the migration is taken down and up again on a database with data, then the data stays and the rules come back', async () => {
    const tables = ['suppliers', 'products', 'sales', 'sale_items', 'purchases', 'purchase_items', 'orders', 'order_items', 'stock_movements', 'coupons', 'cart_items', 'reviews', 'users', 'audit_logs'];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await one(`SELECT COUNT(*) FROM ${t}`)])));
    const before = await counts();
    const productBefore = (await app.http('GET', `/api/products/${ids.product}`, { token: app.adminToken })).body;

    await createMigrator(db()).down({ to: MIGRATION });
    assert.deepEqual(await counts(), before);
    // Without the rules a negative stock is stored again; put it back.
    await raw(`UPDATE products SET stock = -1 WHERE id = ${ids.product}`);

    // Data that breaks a rule keeps the migration from applying, and nothing is half done on SQLite.
    await assert.rejects(createMigrator(db()).up());
    assert.equal(await one(`SELECT stock FROM products WHERE id = ${ids.product}`), -1);
    await raw(`UPDATE products SET stock = ${productBefore.stock} WHERE id = ${ids.product}`);

    // Taking it down took the later migrations with it; all come back.
    assert.deepEqual((await createMigrator(db()).up()).map((m) => m.name), [MIGRATION, '0004-locations', '0005-rate-limits', '0006-cache-generations', '0007-mail-outbox', '0008-product-search', '0009-sales-rollups', '0010-stock-figure-index']);
    assert.deepEqual(await counts(), before);
    const productAfter = (await app.http('GET', `/api/products/${ids.product}`, { token: app.adminToken })).body;
    assert.deepEqual({ ...productAfter, createdAt: productAfter.createdAt.slice(0, 19), updatedAt: undefined }, { ...productBefore, createdAt: productBefore.createdAt.slice(0, 19), updatedAt: undefined });

    await refusal(`UPDATE products SET stock = -1 WHERE id = ${ids.product}`);
    assert.equal(ruleError(await refusal(`DELETE FROM suppliers WHERE id = ${ids.supplier}`))?.status, 409);
    // The app keeps writing through its own connections: a sale still goes through the rules.
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: ids.product, quantity: 1 }] } });
    assert.equal(sale.status, 201, sale.text);
    if (isSqlite()) assert.equal(await one('PRAGMA foreign_keys'), 1);
  });
});
