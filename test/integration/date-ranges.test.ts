import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * 12:00 UTC on 15 June is already 02:00 on 16 June in Kiritimati (UTC+14):
 * the shop's day and the UTC day differ, which is where the lists disagreed.
 */
const NOW = new Date('2026-06-15T12:00:00.000Z');
const SHOP_DAY = '2026-06-16';

describe('from/to on every list: a bare date is the whole day in the shop time zone', () => {
  let app: TestApp;
  let shopper: string;
  const lists: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({}, { now: NOW });
    const admin = app.adminToken;
    assert.equal((await app.http('PUT', '/api/settings', { token: admin, body: { timezone: 'Pacific/Kiritimati' } })).status, 200);
    const supplier = await app.http('POST', '/api/suppliers', { token: admin, body: { name: 'Atoll Supplies' } });
    const product = await app.http('POST', '/api/products', { token: admin, body: { name: 'Coconut Twine', price: 4, stock: 30, supplierId: supplier.body.id } });
    const productId = product.body.id as number;
    assert.equal((await app.http('POST', '/api/sales', { token: admin, body: { items: [{ productId, quantity: 1 }] } })).status, 201);
    assert.equal((await app.http('POST', '/api/purchases', { token: admin, body: { supplierId: supplier.body.id, items: [{ productId, quantity: 2, unitCost: 1 }] } })).status, 201);
    assert.equal((await app.http('POST', `/api/products/${productId}/adjust-stock`, { token: admin, body: { delta: -1, reason: 'damage' } })).status, 200);
    shopper = (await app.userWithRole('customer')).token;
    assert.equal((await app.http('POST', '/api/cart/items', { token: shopper, body: { productId, quantity: 1 } })).status, 200);
    assert.equal((await app.http('POST', '/api/orders', { token: shopper, body: { deliveryAddress: '1 Lagoon Road', contactNumber: '+686 000 000' } })).status, 201);
    Object.assign(lists, {
      sales: '/api/sales',
      purchases: '/api/purchases',
      orders: '/api/orders',
      movements: '/api/inventory/movements',
      'audit logs': '/api/audit-logs',
      'sales export': '/api/sales/export?format=csv',
      'purchases export': '/api/purchases/export?format=csv',
      'audit export': '/api/audit-logs/export?format=csv',
    });
  });
  after(() => app.close());

  async function count(path: string, range: string): Promise<number> {
    const res = await app.http('GET', `${path}${path.includes('?') ? '&' : '?'}${range}`, { token: app.adminToken });
    assert.equal(res.status, 200, `${path} ${range}: ${res.text}`);
    return res.body?.total ?? res.text.trim().split(/\r?\n/).length - 1;
  }

  it('when from and to are the shop day, then each list has what happened that day; the days around it have none of it', async () => {
    for (const [name, path] of Object.entries(lists)) {
      const day = await count(path, `from=${SHOP_DAY}&to=${SHOP_DAY}`);
      assert.ok(day > 0, `${name}: today (shop time) includes what happened at 02:00 local`);
      assert.equal(await count(path, `from=${SHOP_DAY}`), day, `${name}: from alone`);
      assert.equal(await count(path, `to=${SHOP_DAY}`), day, `${name}: to alone includes the whole day`);
      assert.equal(await count(path, 'to=2026-06-15'), 0, `${name}: the day before (shop time) is empty, although it is still 15 June in UTC`);
      assert.equal(await count(path, 'from=2026-06-17'), 0, `${name}: the next day is empty`);
    }
  });

  it('when from and to are exact instants, then they are taken as given', async () => {
    for (const [name, path] of Object.entries(lists)) {
      const all = await count(path, 'from=2026-06-15T11:59:00Z&to=2026-06-15T13:00:00Z');
      assert.ok(all > 0, name);
      assert.equal(await count(path, 'to=2026-06-15T11:59:00Z'), 0, `${name}: nothing before the clock started`);
    }
  });

  it('when a bare date is not a date, then every list answers 400 naming the field', async () => {
    for (const path of Object.values(lists)) {
      const res = await app.http('GET', `${path}${path.includes('?') ? '&' : '?'}from=2026-02-30x`, { token: app.adminToken });
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.details[0].path, 'from');
    }
  });
});
