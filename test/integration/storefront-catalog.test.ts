import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { archive, makeProduct } from './storefront-fixtures.js';
import { transaction } from '../../src/db/index.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import type { Product } from '../../src/modules/products/product.model.js';

describe('storefront catalogue, cart and wishlist', () => {
  let app: TestApp;
  let customer: string;
  let retailer: string;
  let staff: string;
  let forAll: Product;
  let forRetailers: Product;
  let archived: Product;
  before(async () => {
    app = await startTestApp();
    customer = (await app.userWithRole('customer')).token;
    retailer = (await app.userWithRole('retailer')).token;
    staff = (await app.userWithRole('staff')).token;
    forAll = await makeProduct({ name: 'Zeta Lamp', price: 40, discountPercent: 10, category: 'Lighting', stock: 5, description: 'warm light' });
    forRetailers = await makeProduct({ name: 'Alpha Paper Box', price: 20, discountPercent: 25, targetRole: 'retailer', category: 'Paper', stock: 50 });
    archived = await makeProduct({ name: 'Old Stapler', price: 5 });
    await archive(archived);
  });
  after(() => app.close());

  describe('catalogue', () => {
    it('when anonymous, then active products come at customer prices without internal fields', async () => {
      const res = await app.http('GET', '/api/storefront/products');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.map((p: any) => p.name), ['Alpha Paper Box', 'Zeta Lamp']);
      assert.equal(res.body.total, 2);
      const lamp = res.body.data.find((p: any) => p.id === forAll.id);
      assert.deepEqual([lamp.listPrice, lamp.discountPercent, lamp.price], [40, 10, 36]);
      const box = res.body.data.find((p: any) => p.id === forRetailers.id);
      assert.deepEqual([box.price, box.discountPercent], [20, 0]);
      assert.deepEqual(lamp.rating, { average: null, count: 0 });
      for (const field of ['costPrice', 'supplierId', 'lowStockThreshold', 'reorderQuantity', 'archivedAt', 'targetRole']) {
        assert.equal(field in lamp, false, field);
      }
      assert.equal(res.text.includes('costPrice'), false);
    });

    it('when a retailer asks, then retailer-targeted discounts apply', async () => {
      const res = await app.http('GET', `/api/storefront/products/${forRetailers.id}`, { token: retailer });
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.price, res.body.discountPercent, res.body.listPrice], [15, 25, 20]);
      const asCustomer = await app.http('GET', `/api/storefront/products/${forRetailers.id}`, { token: customer });
      assert.equal(asCustomer.body.price, 20);
    });

    it('when filtering, searching and sorting by price, then the list follows', async () => {
      const byCategory = await app.http('GET', '/api/storefront/products?category=Lighting');
      assert.deepEqual(byCategory.body.data.map((p: any) => p.id), [forAll.id]);
      const bySearch = await app.http('GET', '/api/storefront/products?search=warm');
      assert.deepEqual(bySearch.body.data.map((p: any) => p.id), [forAll.id]);
      const cheapFirst = await app.http('GET', '/api/storefront/products?sort=price', { token: retailer });
      assert.deepEqual(cheapFirst.body.data.map((p: any) => p.price), [15, 36]);
      const dearFirst = await app.http('GET', '/api/storefront/products?sort=-price&limit=1&page=1');
      assert.deepEqual([dearFirst.body.data.length, dearFirst.body.data[0].price, dearFirst.body.total], [1, 36, 2]);
      const range = await app.http('GET', '/api/storefront/products?minPrice=16&maxPrice=30', { token: retailer });
      assert.equal(range.body.total, 0);
      const bad = await app.http('GET', '/api/storefront/products?sort=costPrice');
      assert.equal(bad.status, 400);
    });

    it('when a product is archived or unknown, then 404', async () => {
      assert.equal((await app.http('GET', `/api/storefront/products/${archived.id}`)).status, 404);
      assert.equal((await app.http('GET', '/api/storefront/products/999999')).status, 404);
    });
  });

  describe('cart', () => {
    it('when adding twice, then the line adds up and totals use the role price', async () => {
      assert.equal((await app.http('POST', '/api/cart/items', { token: customer, body: { productId: forAll.id, quantity: 2 } })).status, 200);
      const res = await app.http('POST', '/api/cart/items', { token: customer, body: { productId: forAll.id, quantity: 1 } });
      assert.equal(res.status, 200);
      assert.equal(res.body.items.length, 1);
      assert.deepEqual([res.body.items[0].quantity, res.body.items[0].unitPrice, res.body.items[0].lineTotal, res.body.total], [3, 36, 108, 108]);
      assert.equal(res.body.items[0].product.name, 'Zeta Lamp');
      assert.equal('costPrice' in res.body.items[0].product, false);
    });

    it('when asking for more than the stock, then 409 INSUFFICIENT_STOCK and the cart is unchanged', async () => {
      const res = await app.http('POST', '/api/cart/items', { token: customer, body: { productId: forAll.id, quantity: 3 } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'INSUFFICIENT_STOCK');
      const put = await app.http('PUT', `/api/cart/items/${forAll.id}`, { token: customer, body: { quantity: 6 } });
      assert.equal(put.status, 409);
      assert.equal((await app.http('GET', '/api/cart', { token: customer })).body.items[0].quantity, 3);
    });

    it('when the product is archived or unknown, then adding it is 404', async () => {
      assert.equal((await app.http('POST', '/api/cart/items', { token: customer, body: { productId: archived.id, quantity: 1 } })).status, 404);
      assert.equal((await app.http('POST', '/api/cart/items', { token: customer, body: { productId: 999999, quantity: 1 } })).status, 404);
      assert.equal((await app.http('POST', '/api/cart/items', { token: customer, body: { productId: forAll.id, quantity: 0 } })).status, 400);
    });

    it('when setting, removing and clearing lines, then the cart follows', async () => {
      const put = await app.http('PUT', `/api/cart/items/${forAll.id}`, { token: customer, body: { quantity: 1 } });
      assert.equal(put.status, 200);
      assert.equal(put.body.items[0].quantity, 1);
      await app.http('POST', '/api/cart/items', { token: customer, body: { productId: forRetailers.id, quantity: 2 } });
      const removed = await app.http('DELETE', `/api/cart/items/${forAll.id}`, { token: customer });
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body.items.map((i: any) => i.productId), [forRetailers.id]);
      assert.equal((await app.http('DELETE', `/api/cart/items/${forAll.id}`, { token: customer })).status, 404);
      assert.equal((await app.http('PUT', `/api/cart/items/${forAll.id}`, { token: customer, body: { quantity: 1 } })).status, 404);
      assert.equal((await app.http('DELETE', '/api/cart', { token: customer })).status, 204);
      assert.deepEqual((await app.http('GET', '/api/cart', { token: customer })).body, { items: [], itemCount: 0, total: 0, adjustments: [] });
    });

    it('when a product is archived or its stock drops, then reading the cart removes or clamps and says so', async () => {
      const lamp = await makeProduct({ name: 'Desk Lamp', price: 10, stock: 5 });
      const chair = await makeProduct({ name: 'Chair', price: 10, stock: 5 });
      await app.http('POST', '/api/cart/items', { token: retailer, body: { productId: lamp.id, quantity: 4 } });
      await app.http('POST', '/api/cart/items', { token: retailer, body: { productId: chair.id, quantity: 2 } });
      await archive(chair);
      await transaction(() => applyStockChanges([{ productId: lamp.id, delta: -3 }], { reason: 'adjustment', adjustmentReason: 'damage' }));
      const res = await app.http('GET', '/api/cart', { token: retailer });
      assert.deepEqual(res.body.items.map((i: any) => [i.productId, i.quantity]), [[lamp.id, 2]]);
      assert.deepEqual(
        res.body.adjustments.map((a: any) => [a.productId, a.action, a.reason, a.quantity]),
        [[lamp.id, 'clamped', 'stock_reduced', 2], [chair.id, 'removed', 'archived', 0]].sort((a, b) => (a[0] as number) - (b[0] as number)),
      );
      assert.deepEqual((await app.http('GET', '/api/cart', { token: retailer })).body.adjustments, []);
    });

    it('when a back-office user or nobody calls the cart, then 403 or 401', async () => {
      assert.equal((await app.http('GET', '/api/cart', { token: staff })).status, 403);
      assert.equal((await app.http('GET', '/api/cart')).status, 401);
    });
  });

  describe('wishlist', () => {
    it('when adding the same product twice, then 201 then 200 and one entry', async () => {
      const first = await app.http('POST', '/api/wishlist', { token: customer, body: { productId: forAll.id } });
      assert.equal(first.status, 201);
      assert.equal(first.body.product.price, 36);
      const again = await app.http('POST', '/api/wishlist', { token: customer, body: { productId: forAll.id } });
      assert.equal(again.status, 200);
      const list = await app.http('GET', '/api/wishlist', { token: customer });
      assert.equal(list.body.total, 1);
      assert.equal(list.body.data[0].productId, forAll.id);
    });

    it('when removing, then it is gone; removing again or adding an archived product is 404', async () => {
      assert.equal((await app.http('DELETE', `/api/wishlist/${forAll.id}`, { token: customer })).status, 204);
      assert.equal((await app.http('DELETE', `/api/wishlist/${forAll.id}`, { token: customer })).status, 404);
      assert.equal((await app.http('POST', '/api/wishlist', { token: customer, body: { productId: archived.id } })).status, 404);
      assert.equal((await app.http('GET', '/api/wishlist', { token: customer })).body.total, 0);
      assert.equal((await app.http('GET', '/api/wishlist', { token: staff })).status, 403);
    });
  });
});
