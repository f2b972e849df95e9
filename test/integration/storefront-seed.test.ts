import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { db, transaction } from '../../src/db/index.js';
import { makeProduct } from './storefront-fixtures.js';
import { Coupon, Order, Review } from '../../src/modules/storefront/storefront.models.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { DEMO_SHOPPER_PASSWORD, seedStorefront } from '../../seeders/storefront.seeder.js';

describe('storefront demo seed', () => {
  let app: TestApp;
  before(async () => {
    // The storefront part alone, on a small stocked catalogue (the full demo history is slow on MariaDB).
    app = await startTestApp();
    for (let i = 0; i < 12; i++) await makeProduct({ name: `Seed product ${i}`, price: 10 + i, stock: 60 });
    const result = await transaction(() => seedStorefront());
    assert.equal(result.orders, 9);
    assert.equal((await transaction(() => seedStorefront())).orders, 0, 'idempotent');
  });
  after(() => app.close());

  it('when the demo is seeded, then shoppers can sign in and see their orders', async () => {
    for (const email of ['customer@example.com', 'retailer@example.com']) {
      const login = await app.http('POST', '/api/auth/login', { body: { email, password: DEMO_SHOPPER_PASSWORD } });
      assert.equal(login.status, 200, email);
      const orders = await app.http('GET', '/api/orders', { token: login.body.token });
      assert.ok(orders.body.total >= 2, email);
    }
  });

  it('when the demo is seeded, then orders exist in every status, with coupons and reviews', async () => {
    const statuses = (await Order.findAll({ attributes: ['status'] })).map((o) => o.status);
    for (const status of ['pending', 'shipped', 'delivered', 'cancelled'] as const) assert.ok(statuses.includes(status), status);
    assert.ok((await Coupon.count()) >= 5);
    assert.equal((await Coupon.findOne({ where: { code: 'LAUNCH50' } }))!.usedCount, 1);
    assert.ok((await Review.count()) >= 3);
    assert.ok((await StockMovement.count({ where: { reason: 'order' } })) > 0);
    assert.ok((await StockMovement.count({ where: { reason: 'order_cancel' } })) > 0);
  });

  it('when the demo is seeded, then every product stock equals its ledger sum', async () => {
    const [rows] = await db().query(
      'SELECT p.id, p.stock, COALESCE(SUM(m.delta), 0) AS ledger FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.id, p.stock',
    );
    for (const row of rows as { id: number; stock: number; ledger: string | number }[]) assert.equal(Number(row.ledger), Number(row.stock), `product ${row.id}`);
  });
});
