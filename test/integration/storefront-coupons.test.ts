import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { Coupon } from '../../src/modules/storefront/storefront.models.js';

const DAY = 24 * 60 * 60 * 1000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

describe('coupons', () => {
  let app: TestApp;
  let manager: string;
  let staff: string;
  let customer: { token: string; id: number };
  let other: { token: string; id: number };
  let retailer: string;
  before(async () => {
    app = await startTestApp();
    manager = (await app.userWithRole('manager')).token;
    staff = (await app.userWithRole('staff')).token;
    const c = await app.userWithRole('customer');
    customer = { token: c.token, id: c.user.id };
    const o = await app.userWithRole('customer');
    other = { token: o.token, id: o.user.id };
    retailer = (await app.userWithRole('retailer')).token;
  });
  after(() => app.close());

  const create = (body: Record<string, unknown>, token = manager) => app.http('POST', '/api/coupons', { token, body });

  it('when a manager creates a coupon, then 201 with the code upper-cased and usedCount 0, audit-logged', async () => {
    const res = await create({ code: 'spring-10', discountPercent: 10, validFrom: iso(-1), validTo: iso(30), usageLimit: 5 });
    assert.equal(res.status, 201);
    assert.equal(res.body.code, 'SPRING-10');
    assert.deepEqual([res.body.discountPercent, res.body.usedCount, res.body.usageLimit, res.body.targetRole, res.body.active], [10, 0, 5, 'all', true]);
    assert.deepEqual(res.body.userIds, []);
    assert.equal(await AuditLog.count({ where: { action: 'coupon.create', entityId: String(res.body.id) } }), 1);
  });

  it('when the same code comes in another case, then 409 DUPLICATE', async () => {
    const res = await create({ code: 'Spring-10', discountPercent: 5 });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'DUPLICATE');
  });

  it('when a coupon is written outside the REST door (panel, seeders), then its code is still stored upper-case and validates', async () => {
    const coupon = await Coupon.create({ code: ' panel-5 ', discountPercent: 5 });
    assert.equal(coupon.code, 'PANEL-5');
    const res = await app.http('POST', '/api/coupons/validate', { token: customer.token, body: { code: 'panel-5' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.discountPercent, 5);
  });

  it('when the input is invalid, then 400 naming the field', async () => {
    assert.equal((await create({ code: 'ZERO', discountPercent: 0 })).status, 400);
    assert.equal((await create({ code: 'HUGE', discountPercent: 101 })).status, 400);
    const window = await create({ code: 'BACKWARDS', discountPercent: 5, validFrom: iso(2), validTo: iso(1) });
    assert.equal(window.status, 400);
    assert.ok(window.body.error.details.some((d: any) => d.path === 'validTo'));
    assert.equal((await create({ code: 'NOBODY', discountPercent: 5, userIds: [999999] })).status, 400);
    assert.equal((await create({ code: 'BADDATE', discountPercent: 5, validTo: 'tomorrow' })).status, 400);
  });

  it('when staff or a customer manage coupons, then 403; anonymous 401', async () => {
    assert.equal((await create({ code: 'STAFF', discountPercent: 5 }, staff)).status, 403);
    assert.equal((await app.http('GET', '/api/coupons', { token: customer.token })).status, 403);
    assert.equal((await app.http('GET', '/api/coupons')).status, 401);
  });

  it('when listing, reading, updating and deleting, then CRUD works and usedCount stays read-only', async () => {
    const made = await create({ code: 'crud', discountPercent: 15, userIds: [customer.id] });
    const id = made.body.id;
    const list = await app.http('GET', '/api/coupons?search=cru&sort=code', { token: manager });
    assert.deepEqual(list.body.data.map((c: any) => c.code), ['CRUD']);
    assert.deepEqual((await app.http('GET', `/api/coupons/${id}`, { token: manager })).body.userIds, [customer.id]);
    const updated = await app.http('PUT', `/api/coupons/${id}`, { token: manager, body: { discountPercent: 20, userIds: [customer.id, other.id], usedCount: 99 } });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.body.discountPercent, updated.body.usedCount], [20, 0]);
    assert.deepEqual(updated.body.userIds, [customer.id, other.id].sort((a, b) => a - b));
    const window = await app.http('PUT', `/api/coupons/${id}`, { token: manager, body: { validFrom: iso(3), validTo: iso(2) } });
    assert.equal(window.status, 400);
    const taken = await app.http('PUT', `/api/coupons/${id}`, { token: manager, body: { code: 'spring-10' } });
    assert.equal(taken.status, 409);
    assert.equal((await app.http('DELETE', `/api/coupons/${id}`, { token: manager })).status, 204);
    assert.equal((await app.http('GET', `/api/coupons/${id}`, { token: manager })).status, 404);
  });

  describe('validate', () => {
    before(async () => {
      await create({ code: 'OFF', discountPercent: 5, active: false });
      await create({ code: 'LATER', discountPercent: 5, validFrom: iso(2), validTo: iso(10) });
      await create({ code: 'OLD', discountPercent: 5, validFrom: iso(-10), validTo: iso(-1) });
      await create({ code: 'TRADE', discountPercent: 7, targetRole: 'retailer' });
      await create({ code: 'VIP', discountPercent: 30, userIds: [other.id] });
      const used = await create({ code: 'ONCE', discountPercent: 5, usageLimit: 1 });
      await Coupon.update({ usedCount: 1 }, { where: { id: used.body.id } });
    });

    const check = (code: string, token = customer.token) => app.http('POST', '/api/coupons/validate', { token, body: { code } });

    it('when the code applies, then it answers the discount (any case)', async () => {
      const res = await check('spring-10');
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.code, res.body.discountPercent, res.body.usesLeft], ['SPRING-10', 10, 5]);
      assert.equal((await check('trade', retailer)).body.discountPercent, 7);
      assert.equal((await check('VIP', other.token)).body.discountPercent, 30);
    });

    it('when it does not apply, then 400 says why', async () => {
      const reasons: [string, RegExp][] = [
        ['NOPE', /unknown/i],
        ['OFF', /not active/],
        ['LATER', /valid from/],
        ['OLD', /expired/],
        ['TRADE', /retailer accounts only/],
        ['VIP', /not assigned to you/],
        ['ONCE', /usage limit/],
      ];
      for (const [code, why] of reasons) {
        const res = await check(code);
        assert.equal(res.status, 400, code);
        assert.equal(res.body.error.code, 'BAD_REQUEST');
        assert.match(res.body.error.message, why, code);
      }
    });

    it('when nobody is signed in, then 401; a back-office user may validate', async () => {
      assert.equal((await app.http('POST', '/api/coupons/validate', { body: { code: 'SPRING-10' } })).status, 401);
      assert.equal((await check('SPRING-10', staff)).status, 200);
    });
  });
});
