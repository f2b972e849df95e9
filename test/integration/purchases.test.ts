import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, ledgerSum, makeProduct, makeSupplier, pdfText, stockOf } from '../helpers/trade-fixtures.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';

describe('purchases and shipments', () => {
  let app: TestApp;
  let staff: string;
  let viewer: string;
  let manager: string;

  before(async () => {
    app = await startTestApp();
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    manager = (await app.userWithRole('manager')).token;
  });
  after(() => app.close());

  const order = (body: unknown, token = staff) => app.http('POST', '/api/purchases', { token, body });
  const receive = (id: number, body: unknown = {}, token = staff) => app.http('POST', `/api/purchases/${id}/receive`, { token, body });

  it('when a purchase is ordered, then it is recorded with exact costs and stock does not move', async () => {
    const supplier = await makeSupplier('Paper World');
    const p = await makeProduct({ stock: 5 });
    const res = await order({ supplierId: supplier.id, items: [{ productId: p.id, quantity: 3, unitCost: 19.99 }], reference: 'PO-1', expectedAt: '2030-01-15' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'ordered');
    assert.equal(res.body.totalCost, 59.97);
    assert.equal(res.body.supplierName, 'Paper World');
    assert.equal(res.body.reference, 'PO-1');
    assert.ok(res.body.expectedAt.startsWith('2030-01-15'));
    assert.deepEqual(res.body.items, [{ productId: p.id, productName: p.name, sku: p.sku, quantity: 3, receivedQuantity: 0, unitCost: 19.99, lineTotal: 59.97 }]);
    assert.equal(await stockOf(p.id), 5);
    assert.ok(await AuditLog.findOne({ where: { action: 'purchase.create', entityId: String(res.body.id) } }));
  });

  it('when a purchase is created as received, then stock rises through the ledger', async () => {
    const supplier = await makeSupplier();
    const p = await makeProduct({ stock: 2 });
    const res = await order({ supplierId: supplier.id, items: [{ productId: p.id, quantity: 10, unitCost: 1.1 }], status: 'received' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'received');
    assert.ok(res.body.receivedAt);
    assert.equal(res.body.items[0].receivedQuantity, 10);
    assert.equal(await stockOf(p.id), 12);
    assert.equal(await ledgerSum(p.id), 12);
    const movement = await StockMovement.findOne({ where: { productId: p.id, reason: 'purchase' } });
    assert.equal(movement?.referenceType, 'purchase');
    assert.equal(movement?.referenceId, res.body.id);
  });

  it('when a purchase is received in parts, then quantities add up per line, never beyond what was ordered', async () => {
    const supplier = await makeSupplier();
    const a = await makeProduct();
    const b = await makeProduct();
    const other = await makeProduct();
    const po = (await order({ supplierId: supplier.id, items: [{ productId: a.id, quantity: 10, unitCost: 2 }, { productId: b.id, quantity: 5, unitCost: 3 }] })).body;

    const first = await receive(po.id, { items: [{ productId: a.id, quantity: 4 }] });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.status, 'partially_received');
    assert.equal(first.body.items[0].receivedQuantity, 4);
    assert.equal(await stockOf(a.id), 4);

    const tooMany = await receive(po.id, { items: [{ productId: a.id, quantity: 7 }] });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.details[0].path, 'items.0.quantity');
    assert.equal((await receive(po.id, { items: [{ productId: other.id, quantity: 1 }] })).status, 400);
    assert.equal((await receive(po.id, { items: [{ productId: a.id, quantity: 0 }] })).status, 400);
    assert.equal(await stockOf(a.id), 4);

    assert.equal((await app.http('POST', `/api/purchases/${po.id}/cancel`, { token: manager })).status, 409);

    const rest = await receive(po.id);
    assert.equal(rest.status, 200);
    assert.equal(rest.body.status, 'received');
    assert.ok(rest.body.receivedAt);
    assert.deepEqual(rest.body.items.map((i: { receivedQuantity: number }) => i.receivedQuantity), [10, 5]);
    assert.equal(await stockOf(a.id), 10);
    assert.equal(await stockOf(b.id), 5);
    assert.equal(await ledgerSum(a.id), 10);

    const again = await receive(po.id);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'CONFLICT');
    assert.equal((await AuditLog.count({ where: { action: 'purchase.receive', entityId: String(po.id) } })), 2);
  });

  it('when an untouched purchase is cancelled, then it is cancelled once and can no longer be received', async () => {
    const supplier = await makeSupplier();
    const p = await makeProduct();
    const po = (await order({ supplierId: supplier.id, items: [{ productId: p.id, quantity: 3, unitCost: 1 }] })).body;
    assert.equal((await app.http('POST', `/api/purchases/${po.id}/cancel`, { token: staff })).status, 403);
    const res = await app.http('POST', `/api/purchases/${po.id}/cancel`, { token: manager });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'cancelled');
    assert.ok(res.body.cancelledAt);
    assert.equal((await app.http('POST', `/api/purchases/${po.id}/cancel`, { token: manager })).status, 409);
    assert.equal((await receive(po.id)).status, 409);
    assert.equal(await stockOf(p.id), 0);
    assert.ok(await AuditLog.findOne({ where: { action: 'purchase.cancel', entityId: String(po.id) } }));
    assert.equal((await app.http('POST', '/api/purchases/999999/cancel', { token: manager })).status, 404);
    assert.equal((await receive(999999)).status, 404);
  });

  it('when input is invalid or refers to missing records, then 400 and nothing is written; roles are enforced', async () => {
    const supplier = await makeSupplier();
    const p = await makeProduct();
    const before = await count('purchases');
    const unknownSupplier = await order({ supplierId: 999999, items: [{ productId: p.id, quantity: 1, unitCost: 1 }] });
    assert.equal(unknownSupplier.status, 400);
    assert.equal(unknownSupplier.body.error.details[0].path, 'supplierId');
    const unknownProduct = await order({ supplierId: supplier.id, items: [{ productId: 999999, quantity: 1, unitCost: 1 }] });
    assert.equal(unknownProduct.status, 400);
    assert.equal(unknownProduct.body.error.details[0].path, 'items.0.productId');
    for (const body of [
      { supplierId: supplier.id, items: [] },
      { supplierId: supplier.id, items: [{ productId: p.id, quantity: 1 }] },
      { supplierId: supplier.id, items: [{ productId: p.id, quantity: -1, unitCost: 1 }] },
      { supplierId: supplier.id, items: [{ productId: p.id, quantity: 1, unitCost: 1 }, { productId: p.id, quantity: 2, unitCost: 1 }] },
      { supplierId: supplier.id, items: [{ productId: p.id, quantity: 1, unitCost: 1 }], status: 'cancelled' },
    ]) {
      assert.equal((await order(body)).status, 400, JSON.stringify(body));
    }
    assert.equal(await count('purchases'), before);
    const body = { supplierId: supplier.id, items: [{ productId: p.id, quantity: 1, unitCost: 1 }] };
    assert.equal((await order(body, viewer)).status, 403);
    assert.equal((await app.http('POST', '/api/purchases', { body })).status, 401);
    assert.equal((await app.http('POST', '/api/shipments', { token: viewer, body })).status, 403);
  });

  it('when a shipment arrives, then it is a received purchase with stock added at once and cost defaulting to the product cost', async () => {
    const supplier = await makeSupplier();
    const a = await makeProduct({ costPrice: 4.25, stock: 1 });
    const b = await makeProduct({ costPrice: 1 });
    const res = await app.http('POST', '/api/shipments', { token: staff, body: { items: [{ productId: a.id, quantity: 4 }, { productId: b.id, quantity: 2, unitCost: 0.5 }], reference: 'DEL-77' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'received');
    assert.equal(res.body.supplierId, null);
    assert.equal(res.body.items[0].unitCost, 4.25);
    assert.equal(res.body.totalCost, 18);
    assert.equal(await stockOf(a.id), 5);
    assert.equal(await ledgerSum(a.id), 5);
    assert.equal(await stockOf(b.id), 2);
    assert.ok(await AuditLog.findOne({ where: { action: 'shipment.create', entityId: String(res.body.id) } }));
    const withSupplier = await app.http('POST', '/api/shipments', { token: staff, body: { supplierId: supplier.id, items: [{ productId: a.id, quantity: 1 }] } });
    assert.equal(withSupplier.body.supplierName, supplier.name);
    const bad = await app.http('POST', '/api/shipments', { token: staff, body: { items: [{ productId: a.id, quantity: 1 }, { productId: 999999, quantity: 1 }] } });
    assert.equal(bad.status, 400);
    assert.equal(await stockOf(a.id), 6);
  });

  it('when purchases are listed and exported, then filters apply and CSV/PDF come back', async () => {
    const supplier = await makeSupplier('Filter Supplies');
    const p = await makeProduct({ name: 'Filtered Thing' });
    const open = (await order({ supplierId: supplier.id, items: [{ productId: p.id, quantity: 2, unitCost: 1.5 }], reference: 'FIND-ME' })).body;
    const done = (await order({ supplierId: supplier.id, items: [{ productId: p.id, quantity: 1, unitCost: 9 }], status: 'received' })).body;

    const list = await app.http('GET', `/api/purchases?supplierId=${supplier.id}&sort=-totalCost`, { token: viewer });
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 2);
    assert.deepEqual(list.body.data.map((x: { id: number }) => x.id), [done.id, open.id]);
    const ordered = await app.http('GET', `/api/purchases?productId=${p.id}&status=ordered`, { token: viewer });
    assert.deepEqual(ordered.body.data.map((x: { id: number }) => x.id), [open.id]);
    const search = await app.http('GET', '/api/purchases?search=FIND-ME', { token: viewer });
    assert.deepEqual(search.body.data.map((x: { id: number }) => x.id), [open.id]);
    assert.equal((await app.http('GET', '/api/purchases?sort=nope', { token: viewer })).status, 400);
    assert.equal((await app.http('GET', `/api/purchases/${open.id}`, { token: viewer })).body.items[0].productName, 'Filtered Thing');
    assert.equal((await app.http('GET', '/api/purchases/999999', { token: viewer })).status, 404);

    const csv = await app.http('GET', `/api/purchases/export?format=csv&supplierId=${supplier.id}`, { token: viewer });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    assert.match(lines[0], /^"purchaseId","reference","date","status","supplier","location","sku","product","quantity","receivedQuantity","unitCost","lineTotal"/);
    assert.equal(lines.length, 3);
    assert.ok(lines[1].includes('"FIND-ME"'));
    assert.ok(lines[1].includes('"MAIN"'), 'where the goods arrive');
    const pdf = await app.http('GET', `/api/purchases/export?format=pdf&supplierId=${supplier.id}`, { token: viewer });
    assert.equal(pdf.status, 200);
    assert.ok(pdf.text.startsWith('%PDF'));
    assert.ok(pdfText(pdf.text).includes('Filter Supplies'));
  });

  it('when the routes are documented, then every purchase and shipment route is in the OpenAPI document', async () => {
    const doc = (await app.http('GET', '/api/openapi.json')).body;
    for (const path of ['/api/purchases', '/api/purchases/{id}', '/api/purchases/{id}/receive', '/api/purchases/{id}/cancel', '/api/purchases/export', '/api/shipments']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
  });
});
