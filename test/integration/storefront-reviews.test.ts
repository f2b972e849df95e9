import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { makeProduct } from './storefront-fixtures.js';
import type { Product } from '../../src/modules/products/product.model.js';

describe('reviews', () => {
  let app: TestApp;
  let staff: string;
  let manager: string;
  let alice: string;
  let bob: string;
  let mug: Product;
  let other: Product;
  let orderId: number;

  before(async () => {
    app = await startTestApp();
    staff = (await app.userWithRole('staff')).token;
    manager = (await app.userWithRole('manager')).token;
    alice = (await app.userWithRole('customer', { name: 'Alice Shopper' })).token;
    bob = (await app.userWithRole('retailer')).token;
    mug = await makeProduct({ name: 'Enamel Mug', price: 8 });
    other = await makeProduct({ name: 'Teapot', price: 30 });
    for (const token of [alice, bob]) {
      await app.http('POST', '/api/cart/items', { token, body: { productId: mug.id, quantity: 1 } });
      const placed = await app.http('POST', '/api/orders', { token, body: { deliveryAddress: '1 Mill Lane, Leeds', contactNumber: '0113 496 0000' } });
      assert.equal(placed.status, 201);
      if (token === alice) orderId = placed.body.id;
      else {
        await app.http('PATCH', `/api/orders/${placed.body.id}/status`, { token: staff, body: { status: 'shipped' } });
        await app.http('PATCH', `/api/orders/${placed.body.id}/status`, { token: staff, body: { status: 'delivered' } });
      }
    }
  });
  after(() => app.close());

  const review = (token: string, body: Record<string, unknown>) => app.http('POST', '/api/reviews', { token, body });

  it('when the order is not delivered yet, then the review is refused with a clear message', async () => {
    const res = await review(alice, { productId: mug.id, rating: 5 });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /delivered/);
    await app.http('PATCH', `/api/orders/${orderId}/status`, { token: staff, body: { status: 'shipped' } });
    assert.equal((await review(alice, { productId: mug.id, rating: 5 })).status, 403);
  });

  it('when the order is delivered, then the review is created once; a second is 409 DUPLICATE', async () => {
    await app.http('PATCH', `/api/orders/${orderId}/status`, { token: staff, body: { status: 'delivered' } });
    const res = await review(alice, { productId: mug.id, rating: 4, comment: 'Sturdy and pretty' });
    assert.equal(res.status, 201);
    assert.deepEqual([res.body.rating, res.body.comment, res.body.userName], [4, 'Sturdy and pretty', 'Alice Shopper']);
    assert.equal('email' in res.body, false);
    const again = await review(alice, { productId: mug.id, rating: 3 });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'DUPLICATE');
  });

  it('when the product was never ordered or the rating is out of range, then refused', async () => {
    assert.equal((await review(alice, { productId: other.id, rating: 5 })).status, 403);
    assert.equal((await review(bob, { productId: mug.id, rating: 6 })).status, 400);
    assert.equal((await review(bob, { productId: mug.id, rating: 0 })).status, 400);
    assert.equal((await review(staff, { productId: mug.id, rating: 5 })).status, 403);
  });

  it('when anyone lists a product\'s reviews, then the average and count come with them, and the catalogue shows them', async () => {
    assert.equal((await review(bob, { productId: mug.id, rating: 1 })).status, 201);
    const res = await app.http('GET', `/api/reviews?productId=${mug.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.average, res.body.count, res.body.total, res.body.data.length], [2.5, 2, 2, 2]);
    const product = await app.http('GET', `/api/storefront/products/${mug.id}`);
    assert.deepEqual(product.body.rating, { average: 2.5, count: 2 });
    const best = await app.http('GET', '/api/storefront/products?sort=-rating');
    assert.equal(best.body.data[0].id, mug.id);
    assert.equal((await app.http('GET', '/api/reviews?productId=999999')).status, 404);
  });

  it('when editing, then only the author may; others get 403', async () => {
    const mine = (await app.http('GET', `/api/reviews?productId=${mug.id}&sort=rating`)).body.data[0];
    const edited = await app.http('PUT', `/api/reviews/${mine.id}`, { token: bob, body: { rating: 2, comment: 'Chipped on arrival' } });
    assert.equal(edited.status, 200);
    assert.deepEqual([edited.body.rating, edited.body.comment], [2, 'Chipped on arrival']);
    assert.equal((await app.http('PUT', `/api/reviews/${mine.id}`, { token: alice, body: { rating: 5 } })).status, 403);
    assert.equal((await app.http('PUT', '/api/reviews/999999', { token: alice, body: { rating: 5 } })).status, 404);
  });

  it('when deleting, then the author or an admin may; a manager may not', async () => {
    const list = (await app.http('GET', `/api/reviews?productId=${mug.id}&sort=rating`)).body.data;
    const [bobs, alices] = list;
    assert.equal((await app.http('DELETE', `/api/reviews/${bobs.id}`, { token: alice })).status, 403);
    assert.equal((await app.http('DELETE', `/api/reviews/${bobs.id}`, { token: manager })).status, 403);
    assert.equal((await app.http('DELETE', `/api/reviews/${bobs.id}`, { token: bob })).status, 204);
    assert.equal((await app.http('DELETE', `/api/reviews/${alices.id}`, { token: app.adminToken })).status, 204);
    assert.deepEqual((await app.http('GET', `/api/reviews?productId=${mug.id}`)).body.count, 0);
  });
});
