import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { APIRequestContext, Page } from 'playwright-core';
import { createProduct, launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { Supplier } from '../../src/modules/suppliers/supplier.model.js';
import { Coupon } from '../../src/modules/storefront/storefront.models.js';
import { User } from '../../src/modules/users/user.model.js';

const PASSWORD = 'password-123';

interface PanelAnswer {
  status: number;
  notice?: { message: string; type: string };
  errors: Record<string, { message: string }>;
  params: Record<string, unknown>;
  url: string;
}

/** The panel's own API, as its forms call it (multipart fields), with the signed-in browser's cookie. */
async function panelCall(request: APIRequestContext, baseUrl: string, path: string, fields?: Record<string, string>): Promise<PanelAnswer> {
  const res = await request.post(`${baseUrl}/admin/api/resources/${path}`, fields ? { multipart: fields, maxRedirects: 0 } : { maxRedirects: 0 });
  const text = await res.text();
  const body = res.headers()['content-type']?.includes('json') && text ? (JSON.parse(text) as { notice?: PanelAnswer['notice']; record?: { errors?: PanelAnswer['errors']; params?: Record<string, unknown> } }) : {};
  return { status: res.status(), notice: body.notice, errors: body.record?.errors ?? {}, params: body.record?.params ?? {}, url: res.headers().location ?? '' };
}

/**
 * The panel's generic new/edit/delete are doors onto the same services as
 * REST: every rule REST applies holds here too, and a session follows its
 * user's current state.
 */
describe('the panel applies the same rules as REST', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let admin: User;
  let manager: User;

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    admin = (await app.userWithRole('admin', { password: PASSWORD })).user;
    manager = (await app.userWithRole('manager', { password: PASSWORD })).user;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function session(user: User, password = PASSWORD) {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, user.email, password);
    return opened;
  }
  const notice = (page: Page, text: string | RegExp) => page.getByTestId('notice-wrapper').getByText(text).waitFor();

  it('when a manager deletes a supplier that still has products, then it is refused as over REST and the products keep their supplier', async () => {
    const supplier = await Supplier.create({ name: 'Anchor Stationers' });
    const productId = await createProduct(app, { name: 'Anchor Pen', supplierId: supplier.id, price: 2 });
    const { page, context } = await session(manager);
    await page.goto(`${app.url}/admin/resources/suppliers/records/${supplier.id}/show`);
    await page.getByTestId('action-delete').click();
    await page.getByRole('button', { name: /confirm/i }).click();
    await notice(page, /still has 1 product\(s\)/);
    assert.ok(await Supplier.findByPk(supplier.id), 'the supplier stays');
    assert.equal((await Product.findByPk(productId))!.supplierId, supplier.id, 'the product is not unlinked');
    const rest = await app.http('DELETE', `/api/suppliers/${supplier.id}`, { token: app.adminToken });
    assert.equal(rest.status, 409, 'the same answer as REST');
    await context.close();
  });

  it('when a coupon of 250% or ending before it starts is posted, then the coupon schema refuses it field by field and nothing is stored', async () => {
    const { page, context } = await session(manager);
    const tooMuch = await panelCall(page.request, app.url, 'coupons/actions/new', { code: 'HUGE', discountPercent: '250', targetRole: 'all', active: 'true' });
    assert.ok(tooMuch.errors.discountPercent, JSON.stringify(tooMuch));
    const backwards = await panelCall(page.request, app.url, 'coupons/actions/new', {
      code: 'BACKWARDS',
      discountPercent: '10',
      targetRole: 'all',
      active: 'true',
      validFrom: '2030-05-10T00:00:00.000Z',
      validTo: '2030-05-01T00:00:00.000Z',
    });
    assert.ok(backwards.errors.validTo, JSON.stringify(backwards));
    const notADate = await panelCall(page.request, app.url, 'coupons/actions/new', { code: 'NODATE', discountPercent: '10', targetRole: 'all', active: 'true', validFrom: 'not-a-date' });
    assert.ok(notADate.errors.validFrom, JSON.stringify(notADate));
    assert.equal(await Coupon.count(), 0);

    const good = await panelCall(page.request, app.url, 'coupons/actions/new', { code: 'spring10', discountPercent: '10', targetRole: 'all', active: 'true' });
    assert.equal(good.notice?.type, 'success', JSON.stringify(good));
    const stored = (await Coupon.findOne({ where: { code: 'SPRING10' } }))!;
    assert.equal(Number(stored.discountPercent), 10);
    const [audit] = await AuditLog.findAll({ where: { action: 'coupon.create', entityId: String(stored.id) } });
    assert.equal(audit.userId, manager.id, 'audited by the coupons service');
    const edit = await panelCall(page.request, app.url, `coupons/records/${stored.id}/edit`, { discountPercent: '101' });
    assert.ok(edit.errors.discountPercent, JSON.stringify(edit));
    assert.equal(Number((await Coupon.findByPk(stored.id))!.discountPercent), 10);
    await context.close();
  });

  it('when a product with sales history is deleted in the panel, then it is archived as over REST; one without history is deleted', async () => {
    const sold = await createProduct(app, { name: 'History Mug', price: 8, stock: 5 });
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: sold, quantity: 1 }] } });
    assert.equal(sale.status, 201);
    const fresh = await createProduct(app, { name: 'Fresh Mug', price: 8, stock: 5 });
    const { page, context } = await session(manager);

    const archived = await panelCall(page.request, app.url, `products/records/${sold}/delete`);
    assert.equal(archived.notice?.type, 'success', JSON.stringify(archived));
    const kept = (await Product.findByPk(sold))!;
    assert.ok(kept.archivedAt, 'archived, not destroyed');
    assert.equal((await AuditLog.count({ where: { action: 'product.archive', entityId: String(sold) } })), 1);

    const deleted = await panelCall(page.request, app.url, `products/records/${fresh}/delete`);
    assert.equal(deleted.notice?.type, 'success', JSON.stringify(deleted));
    assert.equal(await Product.findByPk(fresh), null);
    await context.close();
  });

  it('when an admin edits users in the panel, then their own role and account are protected and a role change is audited as such', async () => {
    const { page, context } = await session(admin);
    const ownRole = await panelCall(page.request, app.url, `users/records/${admin.id}/edit`, { role: 'viewer' });
    assert.match(ownRole.notice?.message ?? '', /cannot change your own role/, JSON.stringify(ownRole));
    assert.equal((await User.findByPk(admin.id))!.role, 'admin');
    const ownAccount = await panelCall(page.request, app.url, `users/records/${admin.id}/delete`);
    assert.match(ownAccount.notice?.message ?? '', /cannot delete your own account/, JSON.stringify(ownAccount));
    assert.ok(await User.findByPk(admin.id));

    const staff = (await app.userWithRole('staff', { password: PASSWORD })).user;
    const promoted = await panelCall(page.request, app.url, `users/records/${staff.id}/edit`, { role: 'manager' });
    assert.equal(promoted.notice?.type, 'success', JSON.stringify(promoted));
    const [audit] = await AuditLog.findAll({ where: { action: 'user.role_change', entityId: String(staff.id) } });
    assert.deepEqual(audit.changes?.role, { from: 'staff', to: 'manager' });
    assert.equal(audit.userId, admin.id);
    await context.close();
  });

  it('when a signed-in user is demoted, revoked or deleted, then the panel session follows at once', async () => {
    const { page: adminPage, context: adminContext } = await session(admin);
    const list = async (page: Page) => (await page.request.get(`${app.url}/admin/api/resources/products/actions/list`, { maxRedirects: 0 })).status();

    // Demoted within the back office: the new role's rights apply on the next request.
    const clerk = (await app.userWithRole('manager', { password: PASSWORD })).user;
    const { page, context } = await session(clerk);
    assert.equal((await panelCall(page.request, app.url, 'suppliers/actions/new', { name: 'Before Demotion' })).notice?.type, 'success');
    await panelCall(adminPage.request, app.url, `users/records/${clerk.id}/edit`, { role: 'viewer' });
    const asViewer = await panelCall(page.request, app.url, 'suppliers/actions/new', { name: 'After Demotion' });
    assert.notEqual(asViewer.notice?.type, 'success', JSON.stringify(asViewer));
    assert.equal(await Supplier.count({ where: { name: 'After Demotion' } }), 0);
    assert.equal(await list(page), 200, 'a viewer still reads');

    // Out of the back office: signed out.
    await panelCall(adminPage.request, app.url, `users/records/${clerk.id}/edit`, { role: 'customer' });
    assert.equal(await list(page), 302, 'redirected to the sign-in page');
    await context.close();

    // Token version moved on (a REST logout): signed out here too.
    const other = (await app.userWithRole('staff', { password: PASSWORD })).user;
    const second = await session(other);
    assert.equal(await list(second.page), 200);
    const login = await app.http('POST', '/api/auth/login', { body: { email: other.email, password: PASSWORD } });
    assert.equal((await app.http('POST', '/api/auth/logout', { token: login.body.token })).status, 204);
    assert.equal(await list(second.page), 302);
    await second.context.close();

    // Deleted: signed out.
    const leaving = (await app.userWithRole('staff', { password: PASSWORD })).user;
    const third = await session(leaving);
    assert.equal(await list(third.page), 200);
    assert.equal((await panelCall(adminPage.request, app.url, `users/records/${leaving.id}/delete`)).notice?.type, 'success');
    assert.equal(await list(third.page), 302);
    await third.context.close();
    await adminContext.close();
  });
});
