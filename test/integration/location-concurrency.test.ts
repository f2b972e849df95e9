import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { stockInvariantViolations } from '../helpers/trade-fixtures.js';

type Json = Record<string, any>;

/** Racing sales, transfers and a count at two locations, on whichever database the suite runs on. */
describe('stock per location under concurrent requests', () => {
  let app: TestApp;
  let staff: string;
  let manager: string;
  let main: Json;
  let shop: Json;

  before(async () => {
    app = await startTestApp();
    staff = (await app.userWithRole('staff')).token;
    manager = (await app.userWithRole('manager')).token;
    main = (await app.http('GET', '/api/locations', { token: staff })).body.data[0];
    shop = (await app.http('POST', '/api/locations', { token: manager, body: { name: 'Shop', code: 'SHOP' } })).body;
  });
  after(() => app.close());

  const post = (path: string, body?: unknown, token = staff) => app.http('POST', path, { token, body });
  const level = async (productId: number, locationId: number) =>
    (await app.http('GET', `/api/products/${productId}/stock`, { token: staff })).body.locations.find((l: Json) => l.locationId === locationId).quantity as number;

  it('when 100 sales and transfers race for one product at two locations, then neither location oversells and the ledger adds up', async () => {
    const product = (await post('/api/products', { name: 'Racing Lamp', price: 20, costPrice: 9, stock: 30 })).body;
    await post('/api/shipments', { items: [{ productId: product.id, quantity: 10, unitCost: 9 }], locationId: shop.id });
    // Drafts first, so the race is about stock and not about creating them.
    const drafts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post('/api/transfers', { fromLocationId: i % 2 ? shop.id : main.id, toLocationId: i % 2 ? main.id : shop.id, items: [{ productId: product.id, quantity: 2 }] }),
      ),
    );
    const requests = [
      ...Array.from({ length: 40 }, () => post('/api/sales', { items: [{ productId: product.id, quantity: 1 }] })),
      ...Array.from({ length: 40 }, () => post('/api/sales', { items: [{ productId: product.id, quantity: 1 }], locationId: shop.id })),
      ...drafts.map((d) => post(`/api/transfers/${d.body.id}/ship`)),
    ];
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    assert.deepEqual([...new Set(statuses)].filter((s) => s !== 200 && s !== 201 && s !== 409), [], `statuses: ${statuses.join(',')}`);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'INSUFFICIENT_STOCK');

    const sold = results.slice(0, 80).filter((r) => r.status === 201).length;
    const shipped = results.slice(80).filter((r) => r.status === 200).length;
    assert.ok(sold > 0 && shipped > 0, `sold ${sold}, shipped ${shipped}`);
    const [atMain, atShop] = [await level(product.id, main.id), await level(product.id, shop.id)];
    assert.ok(atMain >= 0 && atShop >= 0);
    const stock = (await app.http('GET', `/api/products/${product.id}/stock`, { token: staff })).body;
    assert.equal(stock.inTransit, shipped * 2);
    assert.equal(stock.total + stock.inTransit + sold, 40, 'every unit is on a shelf, on the road or sold');
    assert.deepEqual(await stockInvariantViolations(), []);

    // Everything in transit arrives while selling goes on.
    const arrivals = await Promise.all([
      ...results.slice(80).filter((r) => r.status === 200).map((r) => post(`/api/transfers/${r.body.id}/receive`)),
      ...Array.from({ length: 10 }, () => post('/api/sales', { items: [{ productId: product.id, quantity: 1 }], locationId: shop.id })),
    ]);
    assert.deepEqual(arrivals.slice(0, shipped).map((r) => r.status), Array(shipped).fill(200));
    assert.deepEqual(arrivals.map((r) => r.status).filter((s) => s !== 200 && s !== 201 && s !== 409), []);
    assert.equal((await app.http('GET', `/api/products/${product.id}/stock`, { token: staff })).body.inTransit, 0);
    assert.deepEqual(await stockInvariantViolations(), []);
  });

  it('when sales race a stock count at the counted location, then the count shows no variance where the shelf matches the books', async () => {
    const product = (await post('/api/products', { name: 'Counted Mug', price: 8, costPrice: 3, stock: 60 })).body;
    const count = (await post('/api/stock-counts', { locationId: main.id, productIds: [product.id] })).body;
    const sales = await Promise.all(Array.from({ length: 25 }, () => post('/api/sales', { items: [{ productId: product.id, quantity: 1 }] })));
    assert.deepEqual([...new Set(sales.map((s) => s.status))], [201]);
    // The shelf is counted (35 left after 25 sales since the snapshot); more sales after that are not part of the comparison.
    const onShelf = await level(product.id, main.id);
    const recorded = await app.http('PUT', `/api/stock-counts/${count.id}/lines`, { token: staff, body: { lines: [{ productId: product.id, counted: onShelf }] } });
    assert.equal(recorded.status, 200);
    await Promise.all(Array.from({ length: 5 }, () => post('/api/sales', { items: [{ productId: product.id, quantity: 1 }] })));
    const submitted = (await post(`/api/stock-counts/${count.id}/submit`)).body;
    assert.deepEqual([submitted.lines[0].expected, submitted.lines[0].movementsSince, submitted.lines[0].variance], [60, -25, 0]);
    const posted = await post(`/api/stock-counts/${count.id}/post`, undefined, manager);
    assert.equal(posted.status, 200);
    assert.equal(await level(product.id, main.id), 30);
    assert.deepEqual(await stockInvariantViolations(), []);
  });
});
