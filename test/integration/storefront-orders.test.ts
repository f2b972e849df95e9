import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { recipients, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { makeProduct, stockOf } from './storefront-fixtures.js';
import { transaction } from '../../src/db/index.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { CartItem, Coupon, Order } from '../../src/modules/storefront/storefront.models.js';
import type { Product } from '../../src/modules/products/product.model.js';

const ADDRESS = { deliveryAddress: '12 Harbour Street, Springfield', contactNumber: '+1 555 0100' };

describe('orders', () => {
  let app: TestApp;
  let smtp: TestSmtp;
  let staff: string;
  let viewer: string;
  let alice: { token: string; id: number; email: string };
  let bob: { token: string; id: number; email: string };
  let lamp: Product;
  let paper: Product;

  const shopper = async () => {
    const { user, token } = await app.userWithRole('customer');
    return { token, id: user.id, email: user.email };
  };
  const fill = async (token: string, lines: [Product, number][]) => {
    for (const [product, quantity] of lines) {
      const res = await app.http('POST', '/api/cart/items', { token, body: { productId: product.id, quantity } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  };
  const order = (token: string, extra: Record<string, unknown> = {}) => app.http('POST', '/api/orders', { token, body: { ...ADDRESS, ...extra } });
  const ledgerSum = async (productId: number) => Number((await StockMovement.sum('delta', { where: { productId } })) ?? 0);

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ SMTP_URL: smtp.url });
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    alice = await shopper();
    bob = await shopper();
    assert.equal((await app.http('PUT', '/api/settings', { token: app.adminToken, body: { taxRate: 10 } })).status, 200);
    lamp = await makeProduct({ name: 'Brass Lamp', price: 40, discountPercent: 10, stock: 20 });
    paper = await makeProduct({ name: 'Trade Paper', price: 20, discountPercent: 50, targetRole: 'retailer', stock: 20 });
    await app.http('POST', '/api/coupons', { token: app.adminToken, body: { code: 'TENOFF', discountPercent: 10 } });
  });
  after(async () => {
    await app.close();
    await smtp.close().catch(() => undefined);
  });

  let placed: any;
  it('when a customer orders the cart with a coupon, then prices, discounts, tax and stock are captured in one go', async () => {
    await fill(alice.token, [[lamp, 2], [paper, 1]]);
    const res = await order(alice.token, { couponCode: 'tenoff' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    placed = res.body;
    assert.match(placed.orderNumber, /^ORD-\d{4}-\d{6}$/);
    assert.equal(placed.status, 'pending');
    assert.deepEqual(
      placed.items.map((i: any) => [i.productName, i.quantity, i.unitPrice, i.discountPercent, i.lineTotal]),
      [['Brass Lamp', 2, 36, 10, 72], ['Trade Paper', 1, 20, 0, 20]],
    );
    // 92.00 subtotal, 10% coupon, 10% tax on 82.80
    assert.deepEqual([placed.subtotal, placed.discount, placed.tax, placed.total, placed.couponCode], [92, 9.2, 8.28, 91.08, 'TENOFF']);
    assert.equal(await stockOf(lamp.id), 18);
    const movements = await StockMovement.findAll({ where: { referenceType: 'order', referenceId: placed.id } });
    assert.deepEqual(movements.map((m) => [m.productId, m.delta, m.reason]).sort(), [[lamp.id, -2, 'order'], [paper.id, -1, 'order']].sort());
    assert.equal(await CartItem.count({ where: { userId: alice.id } }), 0);
    assert.equal((await Coupon.findOne({ where: { code: 'TENOFF' } }))!.usedCount, 1);
    assert.equal(await AuditLog.count({ where: { action: 'order.create', entityId: String(placed.id) } }), 1);
  });

  it('when the order is placed, then the customer gets a confirmation email over SMTP', async () => {
    const mail = await smtp.waitFor((m) => recipients(m).includes(alice.email) && /confirmed/.test(m.subject ?? ''));
    assert.ok(mail.subject!.includes(placed.orderNumber));
    assert.match(mail.text ?? '', /Brass Lamp/);
    assert.match(mail.text ?? '', /Total: 91\.08/);
  });

  it('when the cart is empty, then 400', async () => {
    const res = await order(alice.token);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /empty/);
  });

  it('when the cart asks for more than the stock, then 409 INSUFFICIENT_STOCK and nothing is written', async () => {
    const scarce = await makeProduct({ name: 'Scarce Clock', price: 15, stock: 3 });
    await fill(bob.token, [[lamp, 1], [scarce, 3]]);
    await transaction(() => applyStockChanges([{ productId: scarce.id, delta: -2 }], { reason: 'adjustment', adjustmentReason: 'loss' }));
    const before = { orders: await Order.count(), lamp: await stockOf(lamp.id), movements: await StockMovement.count(), used: (await Coupon.findOne({ where: { code: 'TENOFF' } }))!.usedCount };
    const res = await order(bob.token, { couponCode: 'TENOFF' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'INSUFFICIENT_STOCK');
    assert.match(res.body.error.message, /Scarce Clock/);
    assert.equal(await Order.count(), before.orders);
    assert.equal(await stockOf(lamp.id), before.lamp);
    assert.equal(await stockOf(scarce.id), 1);
    assert.equal(await StockMovement.count(), before.movements);
    assert.equal((await Coupon.findOne({ where: { code: 'TENOFF' } }))!.usedCount, before.used);
    assert.equal(await CartItem.count({ where: { userId: bob.id } }), 2);
    await app.http('DELETE', '/api/cart', { token: bob.token });
  });

  it('when customers race for the last units, then stock is never oversold and the ledger agrees', async () => {
    const last = await makeProduct({ name: 'Last Units Kettle', price: 25, stock: 4 });
    const racers = await Promise.all(Array.from({ length: 7 }, () => shopper()));
    for (const r of racers) await fill(r.token, [[last, 1]]);
    const results = await Promise.all(racers.map((r) => order(r.token)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 201, 409, 409, 409]);
    assert.equal(await stockOf(last.id), 0);
    assert.equal(await ledgerSum(last.id), 0);
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.orderNumber);
    assert.equal(new Set(numbers).size, 4);
  });

  it('when two customers race for the last use of a coupon, then exactly one gets it', async () => {
    await app.http('POST', '/api/coupons', { token: app.adminToken, body: { code: 'LASTONE', discountPercent: 50, usageLimit: 1 } });
    const [x, y] = await Promise.all([shopper(), shopper()]);
    await fill(x.token, [[lamp, 1]]);
    await fill(y.token, [[lamp, 1]]);
    const results = await Promise.all([order(x.token, { couponCode: 'LASTONE' }), order(y.token, { couponCode: 'LASTONE' })]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 400]);
    const loser = results.find((r) => r.status === 400)!;
    assert.match(loser.body.error.message, /usage limit/);
    assert.equal((await Coupon.findOne({ where: { code: 'LASTONE' } }))!.usedCount, 1);
    assert.equal(await Order.count({ where: { couponCode: 'LASTONE' } }), 1);
  });

  it('when listing, then shoppers see their own orders and the back office sees all', async () => {
    const own = await app.http('GET', '/api/orders', { token: alice.token });
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.data.map((o: any) => o.id), [placed.id]);
    assert.equal(own.body.data[0].items.length, 2);
    const all = await app.http('GET', '/api/orders?limit=100', { token: staff });
    assert.equal(all.body.total, await Order.count());
    const filtered = await app.http('GET', `/api/orders?userId=${alice.id}&status=pending`, { token: staff });
    assert.deepEqual(filtered.body.data.map((o: any) => o.id), [placed.id]);
    assert.equal((await app.http('GET', '/api/orders', { token: viewer })).status, 403);
  });

  it("when a customer asks for another customer's order, then 404", async () => {
    assert.equal((await app.http('GET', `/api/orders/${placed.id}`, { token: bob.token })).status, 404);
    assert.equal((await app.http('POST', `/api/orders/${placed.id}/cancel`, { token: bob.token })).status, 404);
    assert.equal((await app.http('GET', `/api/orders/${placed.id}`, { token: alice.token })).body.orderNumber, placed.orderNumber);
    assert.equal((await app.http('GET', `/api/orders/${placed.id}`, { token: staff })).status, 200);
  });

  it('when a customer moves a status, then 403; illegal transitions are 409', async () => {
    assert.equal((await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: alice.token, body: { status: 'shipped' } })).status, 403);
    const skip = await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'delivered' } });
    assert.equal(skip.status, 409);
    assert.equal(skip.body.error.code, 'CONFLICT');
    assert.equal((await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'pending' } })).status, 409);
    assert.equal((await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'lost' } })).status, 400);
  });

  it('when staff ship and deliver, then the order moves, is stamped, audited and the customer is emailed', async () => {
    const shipped = await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'shipped' } });
    assert.equal(shipped.status, 200);
    assert.equal(shipped.body.status, 'shipped');
    assert.ok(shipped.body.shippedAt);
    const mail = await smtp.waitFor((m) => recipients(m).includes(alice.email) && /shipped/.test(m.subject ?? ''));
    assert.ok(mail.subject!.includes(placed.orderNumber));
    assert.equal((await app.http('POST', `/api/orders/${placed.id}/cancel`, { token: alice.token })).status, 409);
    assert.equal((await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'cancelled' } })).status, 409);
    const delivered = await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'delivered' } });
    assert.equal(delivered.body.status, 'delivered');
    assert.ok(delivered.body.deliveredAt);
    await smtp.waitFor((m) => recipients(m).includes(alice.email) && /delivered/.test(m.subject ?? ''));
    assert.equal((await app.http('PATCH', `/api/orders/${placed.id}/status`, { token: staff, body: { status: 'shipped' } })).status, 409);
    assert.equal(await AuditLog.count({ where: { action: 'order.status', entityId: String(placed.id) } }), 2);
  });

  it('when the owner cancels a pending order, then stock and the coupon use come back and it cannot be cancelled twice', async () => {
    await fill(bob.token, [[lamp, 3]]);
    const made = await order(bob.token, { couponCode: 'TENOFF' });
    const stockBefore = await stockOf(lamp.id);
    const usedBefore = (await Coupon.findOne({ where: { code: 'TENOFF' } }))!.usedCount;
    const res = await app.http('POST', `/api/orders/${made.body.id}/cancel`, { token: bob.token });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    assert.ok(res.body.cancelledAt);
    assert.equal(await stockOf(lamp.id), stockBefore + 3);
    assert.equal(await ledgerSum(lamp.id), await stockOf(lamp.id));
    assert.equal(await StockMovement.count({ where: { reason: 'order_cancel', referenceId: made.body.id } }), 1);
    assert.equal((await Coupon.findOne({ where: { code: 'TENOFF' } }))!.usedCount, usedBefore - 1);
    await smtp.waitFor((m) => recipients(m).includes(bob.email) && /cancelled/.test(m.subject ?? ''));
    assert.equal((await app.http('POST', `/api/orders/${made.body.id}/cancel`, { token: bob.token })).status, 409);
    assert.equal(await AuditLog.count({ where: { action: 'order.cancel', entityId: String(made.body.id) } }), 1);
  });

  it('when the back office cancels through the status route, then stock comes back too', async () => {
    await fill(bob.token, [[paper, 2]]);
    const made = await order(bob.token);
    const res = await app.http('PATCH', `/api/orders/${made.body.id}/status`, { token: staff, body: { status: 'cancelled' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    assert.equal(await ledgerSum(paper.id), await stockOf(paper.id));
  });

  it('when the mail server is down, then the order still succeeds', async () => {
    await smtp.close();
    await fill(bob.token, [[lamp, 1]]);
    const res = await order(bob.token);
    assert.equal(res.status, 201);
  });
});
