import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';

describe('suppliers', () => {
  let app: TestApp;
  let admin: string;
  let staff: string;
  let viewer: string;
  let customer: string;
  const create = (body: Record<string, unknown>, token = admin) => app.http('POST', '/api/suppliers', { token, body });

  before(async () => {
    app = await startTestApp();
    admin = app.adminToken;
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    customer = (await app.userWithRole('customer')).token;
  });
  after(() => app.close());

  it('when a supplier is created, then 201 with every field and an audit entry', async () => {
    const body = { name: 'Northwind Traders', contactName: 'Ann Lee', email: 'Orders@Northwind.test', phone: '+1 555 0100', address: '1 Harbour Rd', leadTimeDays: 4, notes: 'Ships Mondays' };
    const res = await create(body, staff);
    assert.equal(res.status, 201);
    assert.deepEqual({ ...res.body, id: 0, createdAt: '', updatedAt: '' }, { ...body, email: 'orders@northwind.test', id: 0, createdAt: '', updatedAt: '' });
    assert.equal(await AuditLog.count({ where: { action: 'supplier.create', entityId: String(res.body.id) } }), 1);
  });

  it('when only the name is given, then the lead time defaults to 7 days', async () => {
    const res = await create({ name: 'Minimal Supply' });
    assert.equal(res.status, 201);
    assert.equal(res.body.leadTimeDays, 7);
    assert.equal(res.body.email, null);
  });

  it('when the body is invalid, then 400 names each bad field', async () => {
    const res = await create({ email: 'not-an-email', leadTimeDays: -1 });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path).sort(), ['email', 'leadTimeDays', 'name']);
    assert.equal((await create({ name: 'x', leadTimeDays: 2.5 })).status, 400);
  });

  it('when listing, then search, sort and pagination apply and unknown sorts are refused', async () => {
    await create({ name: 'Acme Wholesale', leadTimeDays: 20, contactName: 'Road Runner' });
    const all = await app.http('GET', '/api/suppliers?sort=-leadTimeDays&limit=2', { token: viewer });
    assert.equal(all.status, 200);
    assert.deepEqual({ page: all.body.page, limit: all.body.limit, total: all.body.total }, { page: 1, limit: 2, total: 3 });
    assert.deepEqual(all.body.data.map((s: { name: string }) => s.name), ['Acme Wholesale', 'Minimal Supply']);
    const byContact = await app.http('GET', '/api/suppliers?search=runner', { token: viewer });
    assert.deepEqual(byContact.body.data.map((s: { name: string }) => s.name), ['Acme Wholesale']);
    assert.deepEqual((await app.http('GET', '/api/suppliers', { token: viewer })).body.data.map((s: { name: string }) => s.name), [
      'Acme Wholesale',
      'Minimal Supply',
      'Northwind Traders',
    ]);
    const bad = await app.http('GET', '/api/suppliers?sort=email', { token: viewer });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].path, 'sort');
  });

  it('when one supplier is read, then it carries its non-archived products', async () => {
    const supplier = (await create({ name: 'Lamp Works' })).body;
    const keep = (await app.http('POST', '/api/products', { token: admin, body: { name: 'Floor Lamp', supplierId: supplier.id, stock: 2 } })).body;
    const gone = (await app.http('POST', '/api/products', { token: admin, body: { name: 'Old Lamp', supplierId: supplier.id, stock: 2 } })).body;
    await app.http('POST', `/api/products/${gone.id}/adjust-stock`, { token: admin, body: { delta: -1, reason: 'loss' } });
    assert.equal((await app.http('DELETE', `/api/products/${gone.id}`, { token: admin })).status, 200);
    const res = await app.http('GET', `/api/suppliers/${supplier.id}`, { token: viewer });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'Lamp Works');
    assert.deepEqual(res.body.products.map((p: { id: number }) => p.id), [keep.id]);
    assert.deepEqual(res.body.products[0].supplier, { id: supplier.id, name: 'Lamp Works' });

    const del = await app.http('DELETE', `/api/suppliers/${supplier.id}`, { token: admin });
    assert.equal(del.status, 409);
    assert.equal(del.body.error.code, 'CONFLICT');
    assert.match(del.body.error.message, /2 product/);
  });

  it('when updated partially, then only the given fields change and are audited', async () => {
    const id = (await create({ name: 'Globex', leadTimeDays: 10 })).body.id;
    const res = await app.http('PUT', `/api/suppliers/${id}`, { token: staff, body: { leadTimeDays: 3, phone: '555' } });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.name, res.body.leadTimeDays, res.body.phone], ['Globex', 3, '555']);
    const audit = await AuditLog.findOne({ where: { action: 'supplier.update', entityId: String(id) } });
    assert.deepEqual(audit!.changes, { leadTimeDays: { from: 10, to: 3 }, phone: { from: null, to: '555' } });
    assert.equal((await app.http('PUT', `/api/suppliers/${id}`, { token: staff, body: {} })).status, 400);
    assert.equal((await app.http('PUT', `/api/suppliers/${id}`, { token: staff, body: { name: '' } })).status, 400);
  });

  it('when a supplier without products is deleted, then 204 and it is gone', async () => {
    const id = (await create({ name: 'Temporary' })).body.id;
    assert.equal((await app.http('DELETE', `/api/suppliers/${id}`, { token: admin })).status, 204);
    assert.equal((await app.http('GET', `/api/suppliers/${id}`, { token: viewer })).status, 404);
    assert.equal(await AuditLog.count({ where: { action: 'supplier.delete', entityId: String(id) } }), 1);
  });

  it('when the supplier does not exist, then 404', async () => {
    assert.equal((await app.http('GET', '/api/suppliers/999999', { token: viewer })).status, 404);
    assert.equal((await app.http('PUT', '/api/suppliers/999999', { token: admin, body: { name: 'x' } })).status, 404);
    assert.equal((await app.http('DELETE', '/api/suppliers/999999', { token: admin })).status, 404);
  });

  it('when roles lack the right, then 403; without a token, 401', async () => {
    const id = (await create({ name: 'Guarded Supply' })).body.id;
    assert.equal((await create({ name: 'Nope' }, viewer)).status, 403);
    assert.equal((await app.http('PUT', `/api/suppliers/${id}`, { token: viewer, body: { name: 'x' } })).status, 403);
    assert.equal((await app.http('DELETE', `/api/suppliers/${id}`, { token: staff })).status, 403);
    assert.equal((await app.http('GET', '/api/suppliers', { token: customer })).status, 403);
    assert.equal((await app.http('GET', '/api/suppliers')).status, 401);
  });
});
