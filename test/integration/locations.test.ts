import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { selectRows } from '../../src/db/index.js';

type Json = Record<string, any>;

/** Locations, transfers and stock counts over HTTP: the three API.md sections, rights and 4xx included. */
describe('locations, transfers and stock counts', () => {
  let app: TestApp;
  let manager: string;
  let staff: string;
  let viewer: string;
  let customer: string;
  let main: Json;
  let shop: Json;
  let router: Json;
  let cable: Json;

  const call = (method: string, path: string, token: string, body?: unknown) => app.http(method, path, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    return res.body as Json;
  };
  const quantities = async (productId: number): Promise<Record<string, number>> => {
    const stock = await ok('GET', `/api/products/${productId}/stock`, viewer);
    return { total: stock.total, inTransit: stock.inTransit, ...Object.fromEntries(stock.locations.map((l: Json) => [l.code, l.quantity])) };
  };
  const ledger = async (productId: number) => (await ok('GET', `/api/products/${productId}/movements?limit=100`, viewer)).data as Json[];

  before(async () => {
    app = await startTestApp({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
    manager = (await app.userWithRole('manager')).token;
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    customer = (await app.userWithRole('customer')).token;
    main = (await ok('GET', '/api/locations', viewer)).data[0];
    shop = await ok('POST', '/api/locations', manager, { name: 'High Street Shop', code: 'shop', type: 'store' }, 201);
    router = await ok('POST', '/api/products', staff, { name: 'Router Z', sku: 'RTR-Z', price: 50, costPrice: 30, stock: 40 }, 201);
    cable = await ok('POST', '/api/products', staff, { name: 'Cable Z', sku: 'CBL-Z', price: 5, costPrice: 2, stock: 12, locationId: shop.id }, 201);
  });
  after(() => app.close());

  describe('locations', () => {
    it('when the app starts, then there is exactly one default location, MAIN, and codes are stored upper-cased', async () => {
      const list = await ok('GET', '/api/locations', viewer);
      assert.deepEqual(list.data.map((l: Json) => [l.code, l.isDefault]).sort(), [
        ['MAIN', true],
        ['SHOP', false],
      ]);
      assert.equal(main.code, 'MAIN');
      assert.equal(shop.code, 'SHOP');
    });

    it('when staff, a viewer or a shopper writes a location, then it is refused; a shopper cannot even read them', async () => {
      assert.equal((await call('POST', '/api/locations', staff, { name: 'Back room', code: 'BR' })).status, 403);
      assert.equal((await call('PUT', `/api/locations/${shop.id}`, viewer, { name: 'X' })).status, 403);
      assert.equal((await call('DELETE', `/api/locations/${shop.id}`, staff)).status, 403);
      assert.equal((await call('GET', '/api/locations', customer)).status, 403);
      assert.equal((await app.http('GET', '/api/locations')).status, 401);
    });

    it('when a name or code is taken, missing or malformed, then it is 409 DUPLICATE or 400 naming the field', async () => {
      const dup = await call('POST', '/api/locations', manager, { name: 'Other', code: 'Shop' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.code, 'DUPLICATE');
      assert.equal((await call('POST', '/api/locations', manager, { name: 'High Street Shop', code: 'HS2' })).status, 409);
      const bad = await call('POST', '/api/locations', manager, { code: 'a b' });
      assert.equal(bad.status, 400);
      const paths = bad.body.error.details.map((d: Json) => d.path);
      assert.ok(paths.includes('name') && paths.includes('code'), JSON.stringify(bad.body));
      assert.equal((await call('POST', '/api/locations', manager, { name: 'T', code: 'T', type: 'moon' })).status, 400);
      assert.equal((await call('GET', '/api/locations/99999', viewer)).status, 404);
    });

    it('when another location becomes the default, then the old one stops being it; the default cannot be un-set, archived or deleted', async () => {
      const wh = await ok('POST', '/api/locations', manager, { name: 'Warehouse 2', code: 'WH2', type: 'warehouse' }, 201);
      await ok('PUT', `/api/locations/${wh.id}`, manager, { isDefault: true });
      const list = (await ok('GET', '/api/locations', viewer)).data as Json[];
      assert.deepEqual(list.filter((l) => l.isDefault).map((l) => l.code), ['WH2']);
      assert.equal((await call('PUT', `/api/locations/${wh.id}`, manager, { isDefault: false })).status, 409);
      assert.equal((await call('PUT', `/api/locations/${wh.id}`, manager, { archivedAt: new Date().toISOString() })).status, 409);
      assert.equal((await call('DELETE', `/api/locations/${wh.id}`, manager)).status, 409);
      await ok('PUT', `/api/locations/${main.id}`, manager, { isDefault: true });
      assert.equal((await call('DELETE', `/api/locations/${wh.id}`, manager)).status, 204);
      assert.equal((await call('GET', `/api/locations/${wh.id}`, viewer)).status, 404);
    });

    it('when a location holds stock or has history, then it cannot be deleted (409); emptied, it can be archived, and an archived location is 400 for stock', async () => {
      const br = await ok('POST', '/api/locations', manager, { name: 'Back Room', code: 'BR' }, 201);
      await ok('POST', `/api/products/${router.id}/adjust-stock`, staff, { delta: 3, reason: 'count', locationId: br.id });
      assert.equal((await call('DELETE', `/api/locations/${br.id}`, manager)).status, 409);
      assert.equal((await call('PUT', `/api/locations/${br.id}`, manager, { archivedAt: new Date().toISOString() })).status, 409);
      await ok('POST', `/api/products/${router.id}/adjust-stock`, staff, { delta: -3, reason: 'correction', locationId: br.id });
      const del = await call('DELETE', `/api/locations/${br.id}`, manager);
      assert.equal(del.status, 409, 'history but no stock: still 409');
      assert.equal(del.body.error.code, 'CONFLICT');
      const archived = await ok('PUT', `/api/locations/${br.id}`, manager, { archivedAt: new Date().toISOString() });
      assert.ok(archived.archivedAt);
      assert.equal((await ok('GET', '/api/locations', viewer)).data.some((l: Json) => l.code === 'BR'), false);
      assert.equal((await ok('GET', '/api/locations?includeArchived=true', viewer)).data.some((l: Json) => l.code === 'BR'), true);

      for (const [path, body, field] of [
        [`/api/products/${router.id}/adjust-stock`, { delta: 1, reason: 'count', locationId: br.id }, 'locationId'],
        ['/api/sales', { items: [{ productId: router.id, quantity: 1 }], locationId: 99999 }, 'locationId'],
        ['/api/shipments', { items: [{ productId: router.id, quantity: 1, unitCost: 1 }], locationId: br.id }, 'locationId'],
        ['/api/products', { name: 'Nowhere', stock: 1, locationId: br.id }, 'locationId'],
        ['/api/transfers', { fromLocationId: br.id, toLocationId: main.id, items: [{ productId: router.id, quantity: 1 }] }, 'fromLocationId'],
        ['/api/transfers', { fromLocationId: main.id, toLocationId: 99999, items: [{ productId: router.id, quantity: 1 }] }, 'toLocationId'],
        ['/api/stock-counts', { locationId: br.id }, 'locationId'],
      ] as const) {
        const res = await call('POST', path, manager, body);
        assert.equal(res.status, 400, `${path}: ${res.text}`);
        assert.ok(res.body.error.details.some((d: Json) => d.path === field), `${path} names ${field}: ${res.text}`);
      }
      await ok('PUT', `/api/locations/${br.id}`, manager, { archivedAt: null });
    });

    it('when stock is asked for, then a product lists every active location (0 where none) and a location lists its products', async () => {
      assert.deepEqual(await quantities(router.id), { total: 40, inTransit: 0, MAIN: 40, SHOP: 0, BR: 0 });
      assert.deepEqual(await quantities(cable.id), { total: 12, inTransit: 0, MAIN: 0, SHOP: 12, BR: 0 });
      const atShop = await ok('GET', `/api/locations/${shop.id}/stock`, viewer);
      assert.deepEqual(
        atShop.data.map((r: Json) => [r.sku, r.quantity]),
        [['CBL-Z', 12]],
      );
      const low = await ok('GET', `/api/locations/${shop.id}/stock?lowStock=true`, viewer);
      assert.equal(low.data.length, 0);
      assert.equal((await ok('GET', `/api/locations/${main.id}/stock?search=cable`, viewer)).data.length, 0);
      assert.equal((await call('GET', '/api/products/99999/stock', viewer)).status, 404);
    });
  });

  describe('documents at a location', () => {
    it('when a purchase is made for the shop, then receipts arrive there unless they name another place, and exports carry the location', async () => {
      const supplier = await ok('POST', '/api/suppliers', manager, { name: 'Shop Supplier' }, 201);
      const po = await ok('POST', '/api/purchases', staff, { supplierId: supplier.id, items: [{ productId: cable.id, quantity: 6, unitCost: 2 }], locationId: shop.id }, 201);
      assert.equal(po.locationId, shop.id);
      await ok('POST', `/api/purchases/${po.id}/receive`, staff, { items: [{ productId: cable.id, quantity: 2 }] });
      await ok('POST', `/api/purchases/${po.id}/receive`, staff, { items: [{ productId: cable.id, quantity: 4 }], locationId: main.id });
      const afterReceipts = await quantities(cable.id);
      assert.deepEqual([afterReceipts.SHOP, afterReceipts.MAIN], [14, 4]);
      const sale = await ok('POST', '/api/sales', staff, { items: [{ productId: cable.id, quantity: 4 }], locationId: main.id }, 201);
      assert.equal(sale.locationId, main.id);
      assert.equal((await quantities(cable.id)).MAIN, 0);
      const sales = await ok('GET', `/api/sales?locationId=${main.id}&productId=${cable.id}`, viewer);
      assert.deepEqual(sales.data.map((x: Json) => x.id), [sale.id]);
      assert.equal((await ok('GET', `/api/purchases?locationId=${shop.id}`, viewer)).data.length, 1);

      const salesCsv = await app.http('GET', `/api/sales/export?productId=${cable.id}`, { token: viewer });
      assert.match(salesCsv.text.split('\r\n')[1], /"MAIN","CBL-Z"/);
      const purchasesCsv = await app.http('GET', `/api/purchases/export?supplierId=${supplier.id}`, { token: viewer });
      assert.match(purchasesCsv.text.split('\r\n')[1], /"Shop Supplier","SHOP","CBL-Z"/);
      const productsCsv = await app.http('GET', '/api/products/export?search=CBL-Z', { token: viewer });
      assert.match(productsCsv.text, /"SHOP:14"/);
    });
  });

  describe('transfers', () => {
    it('when a transfer is drafted, shipped, partly and then fully received, then stock moves at each step with one ledger row per change', async () => {
      const draft = await ok('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: router.id, quantity: 10 }], reference: 'T-1' }, 201);
      assert.equal(draft.status, 'draft');
      assert.deepEqual(draft.lines.map((l: Json) => [l.productId, l.quantity, l.shipped, l.received]), [[router.id, 10, 0, 0]]);
      assert.deepEqual(await quantities(router.id), { total: 40, inTransit: 0, MAIN: 40, SHOP: 0, BR: 0 }, 'a draft moves nothing');

      const shipped = await ok('POST', `/api/transfers/${draft.id}/ship`, staff);
      assert.equal(shipped.status, 'in_transit');
      assert.deepEqual(await quantities(router.id), { total: 30, inTransit: 10, MAIN: 30, SHOP: 0, BR: 0 });
      assert.equal((await call('POST', `/api/transfers/${draft.id}/ship`, staff)).status, 409, 'shipping twice');

      const over = await call('POST', `/api/transfers/${draft.id}/receive`, staff, { items: [{ productId: router.id, quantity: 11 }] });
      assert.equal(over.status, 400);
      const notInIt = await call('POST', `/api/transfers/${draft.id}/receive`, staff, { items: [{ productId: cable.id, quantity: 1 }] });
      assert.equal(notInIt.status, 400);

      const part = await ok('POST', `/api/transfers/${draft.id}/receive`, staff, { items: [{ productId: router.id, quantity: 4 }] });
      assert.equal(part.status, 'partially_received');
      assert.deepEqual(await quantities(router.id), { total: 34, inTransit: 6, MAIN: 30, SHOP: 4, BR: 0 });
      const rest = await ok('POST', `/api/transfers/${draft.id}/receive`, staff);
      assert.equal(rest.status, 'received');
      assert.deepEqual(rest.lines.map((l: Json) => [l.quantity, l.shipped, l.received]), [[10, 10, 10]]);
      assert.deepEqual(await quantities(router.id), { total: 40, inTransit: 0, MAIN: 30, SHOP: 10, BR: 0 });
      assert.equal((await call('POST', `/api/transfers/${draft.id}/cancel`, manager)).status, 409, 'a received transfer cannot be cancelled');

      const rows = (await ledger(router.id)).filter((r) => r.referenceType === 'transfer' && r.referenceId === draft.id);
      assert.deepEqual(
        rows.map((r) => [r.reason, r.delta, r.location.code]).sort(),
        [
          ['transfer_in', 4, 'SHOP'],
          ['transfer_in', 6, 'SHOP'],
          ['transfer_out', -10, 'MAIN'],
        ],
      );
      const moved = await ok('GET', `/api/inventory/movements?locationId=${shop.id}&productId=${router.id}`, viewer);
      assert.deepEqual(moved.data.map((r: Json) => r.delta).sort(), [4, 6]);
      const list = await ok('GET', `/api/transfers?status=received&productId=${router.id}&toLocationId=${shop.id}`, viewer);
      assert.deepEqual(list.data.map((t: Json) => t.id), [draft.id]);
    });

    it('when a line is short, then shipping is 409 INSUFFICIENT_STOCK and nothing moves', async () => {
      const t = await ok('POST', '/api/transfers', staff, {
        fromLocationId: shop.id,
        toLocationId: main.id,
        items: [
          { productId: router.id, quantity: 5 },
          { productId: cable.id, quantity: 15 },
        ],
      }, 201);
      const res = await call('POST', `/api/transfers/${t.id}/ship`, staff);
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'INSUFFICIENT_STOCK');
      assert.match(res.body.error.message, /Cable Z/);
      assert.deepEqual(await quantities(router.id), { total: 40, inTransit: 0, MAIN: 30, SHOP: 10, BR: 0 });
      assert.deepEqual(await quantities(cable.id), { total: 14, inTransit: 0, MAIN: 0, SHOP: 14, BR: 0 });
      assert.equal((await ok('GET', `/api/transfers/${t.id}`, viewer)).status, 'draft');
      assert.equal((await call('POST', `/api/transfers/${t.id}/cancel`, staff)).status, 403, 'staff may not cancel');
      assert.equal((await ok('POST', `/api/transfers/${t.id}/cancel`, manager)).status, 'cancelled');
      assert.equal((await call('POST', `/api/transfers/${t.id}/cancel`, manager)).status, 409);
      assert.equal((await call('POST', `/api/transfers/${t.id}/ship`, staff)).status, 409);
    });

    it('when an in-transit transfer is cancelled, then what has not arrived goes back to the source', async () => {
      const t = await ok('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: router.id, quantity: 8 }] }, 201);
      await ok('POST', `/api/transfers/${t.id}/ship`, staff);
      await ok('POST', `/api/transfers/${t.id}/receive`, staff, { items: [{ productId: router.id, quantity: 3 }] });
      const cancelled = await ok('POST', `/api/transfers/${t.id}/cancel`, manager);
      assert.equal(cancelled.status, 'cancelled');
      assert.deepEqual(await quantities(router.id), { total: 40, inTransit: 0, MAIN: 27, SHOP: 13, BR: 0 });
      const back = (await ledger(router.id)).filter((r) => r.referenceId === t.id && r.reason === 'transfer_cancel');
      assert.deepEqual(back.map((r) => [r.delta, r.location.code]), [[5, 'MAIN']]);
      assert.equal((await call('POST', `/api/transfers/${t.id}/receive`, staff)).status, 409);
    });

    it('when a transfer body is wrong or a viewer writes, then it is 400 or 403 and nothing is stored', async () => {
      const same = await call('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: main.id, items: [{ productId: router.id, quantity: 1 }] });
      assert.equal(same.status, 400);
      assert.ok(same.body.error.details.some((d: Json) => d.path === 'toLocationId'));
      for (const items of [[], [{ productId: router.id, quantity: 0 }], [{ productId: router.id, quantity: 1 }, { productId: router.id, quantity: 2 }]]) {
        assert.equal((await call('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: shop.id, items })).status, 400);
      }
      assert.equal((await call('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: 99999, quantity: 1 }] })).status, 400);
      assert.equal((await call('POST', '/api/transfers', viewer, { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: router.id, quantity: 1 }] })).status, 403);
      assert.equal((await call('GET', '/api/transfers/99999', viewer)).status, 404);
      assert.equal((await call('POST', '/api/transfers/99999/ship', staff)).status, 404);
      assert.equal((await call('GET', '/api/transfers', customer)).status, 403);
    });
  });

  describe('stock counts', () => {
    it('when a blind count is taken while trade goes on, then only real differences are variance, and posting makes the books match the shelf', async () => {
      const count = await ok('POST', '/api/stock-counts', staff, { locationId: main.id, productIds: [router.id], blind: true }, 201);
      assert.equal(count.status, 'counting');
      assert.deepEqual(count.lines.map((l: Json) => [l.productId, l.expected, l.counted]), [[router.id, null, null]], 'blind: staff sees no expected');
      const asManager = await ok('GET', `/api/stock-counts/${count.id}`, manager);
      assert.equal(asManager.lines[0].expected, 27);

      // During the count: 2 sold and 3 shipped away before the shelf is counted.
      await ok('POST', '/api/sales', staff, { items: [{ productId: router.id, quantity: 2 }] }, 201);
      const t = await ok('POST', '/api/transfers', staff, { fromLocationId: main.id, toLocationId: shop.id, items: [{ productId: router.id, quantity: 3 }] }, 201);
      await ok('POST', `/api/transfers/${t.id}/ship`, staff);
      // 27 - 2 - 3 = 22 should be on the shelf; staff finds 21 (one is missing).
      await ok('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: router.id, counted: 21 }] });
      // A sale after the line was counted is not part of its comparison either.
      await ok('POST', '/api/sales', staff, { items: [{ productId: router.id, quantity: 1 }] }, 201);
      const submitted = await ok('POST', `/api/stock-counts/${count.id}/submit`, staff);
      assert.equal(submitted.status, 'review');
      const [line] = submitted.lines;
      assert.deepEqual([line.expected, line.movementsSince, line.counted, line.variance, line.varianceValue], [27, -5, 21, -1, -30]);
      assert.deepEqual(submitted.totals, { lines: 1, counted: 1, uncounted: 0, varianceUnits: -1, varianceValue: -30 });
      assert.equal((await call('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: router.id, counted: 5 }] })).status, 409);

      assert.equal((await call('POST', `/api/stock-counts/${count.id}/post`, staff)).status, 403);
      const posted = await ok('POST', `/api/stock-counts/${count.id}/post`, manager);
      assert.equal(posted.status, 'posted');
      assert.deepEqual(await quantities(router.id), { total: 20 + 13, inTransit: 3, MAIN: 20, SHOP: 13, BR: 0 });
      const rows = (await ledger(router.id)).filter((r) => r.referenceType === 'stock_count');
      assert.deepEqual(rows.map((r) => [r.reason, r.delta, r.referenceId, r.location.code]), [['count', -1, count.id, 'MAIN']]);
      assert.equal((await call('POST', `/api/stock-counts/${count.id}/post`, manager)).status, 409);
      assert.equal((await call('POST', `/api/stock-counts/${count.id}/cancel`, manager)).status, 409);
      await ok('POST', `/api/transfers/${t.id}/receive`, staff);
    });

    it('when a count covers a category and some lines stay uncounted, then those change nothing and are listed as uncounted', async () => {
      const a = await ok('POST', '/api/products', staff, { name: 'Pen A', category: 'Stationery', price: 1, costPrice: 0.5, stock: 10 }, 201);
      const b = await ok('POST', '/api/products', staff, { name: 'Pen B', category: 'Stationery', price: 1, costPrice: 0.25, stock: 4 }, 201);
      const count = await ok('POST', '/api/stock-counts', staff, { locationId: main.id, category: 'Stationery' }, 201);
      assert.deepEqual(count.lines.map((l: Json) => [l.name, l.expected]).sort(), [['Pen A', 10], ['Pen B', 4]]);
      await ok('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: a.id, counted: 12 }] });
      const notInCount = await call('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: router.id, counted: 1 }] });
      assert.equal(notInCount.status, 400);
      assert.equal((await call('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: a.id, counted: -1 }] })).status, 400);
      assert.equal((await call('PUT', `/api/stock-counts/${count.id}/lines`, viewer, { lines: [{ productId: a.id, counted: 1 }] })).status, 403);
      await ok('POST', `/api/stock-counts/${count.id}/submit`, staff);
      const posted = await ok('POST', `/api/stock-counts/${count.id}/post`, manager);
      assert.deepEqual(posted.totals, { lines: 2, counted: 1, uncounted: 1, varianceUnits: 2, varianceValue: 1 });
      assert.deepEqual([(await quantities(a.id)).MAIN, (await quantities(b.id)).MAIN], [12, 4]);
      const sheet = await app.http('GET', `/api/stock-counts/${count.id}/sheet.pdf`, { token: viewer });
      assert.equal(sheet.status, 200);
      assert.equal(sheet.headers.get('content-type'), 'application/pdf');
      const list = await ok('GET', `/api/stock-counts?status=posted&locationId=${main.id}`, viewer);
      assert.equal(list.data.length, 2);
    });

    it('when a count is cancelled, or asked for wrongly, then nothing changes and the answer is the contract 4xx', async () => {
      const count = await ok('POST', '/api/stock-counts', staff, { locationId: shop.id }, 201);
      assert.deepEqual(count.lines.map((l: Json) => l.sku).sort(), ['CBL-Z', 'RTR-Z'], 'products with stock or history at the location');
      await ok('PUT', `/api/stock-counts/${count.id}/lines`, staff, { lines: [{ productId: cable.id, counted: 0 }] });
      assert.equal((await call('POST', `/api/stock-counts/${count.id}/cancel`, staff)).status, 403);
      assert.equal((await ok('POST', `/api/stock-counts/${count.id}/cancel`, manager)).status, 'cancelled');
      assert.equal((await quantities(cable.id)).SHOP, 14);
      assert.equal((await call('POST', `/api/stock-counts/${count.id}/submit`, staff)).status, 409);
      assert.equal((await call('POST', '/api/stock-counts', viewer, { locationId: main.id })).status, 403);
      assert.equal((await call('POST', '/api/stock-counts', staff, { locationId: main.id, productIds: [99999] })).status, 400);
      assert.equal((await call('GET', '/api/stock-counts/99999', viewer)).status, 404);
      assert.equal((await call('GET', '/api/stock-counts', customer)).status, 403);
    });
  });

  it('after all of the above, every (product, location) quantity is the sum of its ledger and products.stock the sum over locations', async () => {
    for (const p of [router, cable]) {
      const stock = await quantities(p.id);
      const rows = await ledger(p.id);
      const byCode: Record<string, number> = {};
      for (const r of rows) byCode[r.location.code] = (byCode[r.location.code] ?? 0) + r.delta;
      for (const code of ['MAIN', 'SHOP', 'BR']) assert.equal(stock[code], byCode[code] ?? 0, `${p.sku} at ${code}`);
      assert.equal(stock.total, stock.MAIN + stock.SHOP + stock.BR);
    }
  });

  it('after all of the above, the dashboard and the analyst give each location the sum of its levels, whichever location is the default', async () => {
    // An archived product with stock away from the default counts nowhere.
    const lamp = await ok('POST', '/api/products', staff, { name: 'Lamp Z', sku: 'LMP-Z', price: 9, costPrice: 3.33, stock: 7, locationId: shop.id }, 201);
    await ok('POST', `/api/products/${lamp.id}/adjust-stock`, staff, { delta: 2, reason: 'count', locationId: main.id });
    await ok('DELETE', `/api/products/${lamp.id}`, manager);
    const levels = async () =>
      (
        await selectRows<{ code: string; units: unknown; cents: unknown }>(
          `SELECT l.code, COALESCE(SUM(s.quantity), 0) AS units, COALESCE(SUM(s.quantity * ROUND(p.cost_price * 100)), 0) AS cents
             FROM locations l LEFT JOIN stock_levels s ON s.location_id = l.id LEFT JOIN products p ON p.id = s.product_id AND p.archived_at IS NULL
            WHERE l.archived_at IS NULL AND (s.id IS NULL OR p.id IS NOT NULL) GROUP BY l.code ORDER BY l.code`,
        )
      ).map((r) => [r.code, Number(r.units), Number(r.cents) / 100]);
    const shown = (list: Json[]) => list.map((l) => [l.code, l.units, l.value]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    for (const place of [shop, main]) {
      await ok('PUT', `/api/locations/${place.id}`, manager, { isDefault: true });
      const expected = await levels();
      assert.ok(expected.filter(([, units]) => Number(units) > 0).length >= 2, JSON.stringify(expected));
      const dashboard = await ok('GET', '/api/dashboard/stats', viewer);
      assert.deepEqual(shown(dashboard.stockByLocation), expected, `default ${place.code}`);
      assert.equal(dashboard.stockByLocation[0].code, place.code);
      const answer = await ok('POST', '/api/ai/query', manager, { question: 'How much stock is at each location?' });
      assert.deepEqual(shown(answer.data.stock_by_location.locations), expected, `analyst, default ${place.code}`);
    }
  });
});
