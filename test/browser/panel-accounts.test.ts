import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN } from '../helpers/test-app.js';
import { createProduct, launchBrowser, signIn, startPanelApp, usersWithRoles, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { verifyPassword } from '../../src/modules/auth/password.js';
import { addCartItem } from '../../src/modules/storefront/cart.service.js';
import { placeOrder } from '../../src/modules/storefront/order.service.js';
import type { Order } from '../../src/modules/storefront/storefront.models.js';
import { User } from '../../src/modules/users/user.model.js';

const PASSWORD = 'password-123';
/** A secret column or a bcrypt hash in an API answer's records. */
const SECRETS = /passwordHash|resetToken|tokenVersion|\$2[aby]\$/;
/** A bcrypt hash anywhere in a page (the page may name hidden columns, never show their values). */
const HASH = /\$2[aby]\$/;

describe('accounts in the AdminJS panel: users with passwords, and the customers view', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let carla: User;
  let rita: User;
  const orders: Order[] = [];
  let accounts: Record<'manager' | 'staff' | 'viewer', User>;

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    productId = await createProduct(app, { name: 'Desk Lamp LED', sku: 'LMP-LED', price: 30, costPrice: 14, stock: 50 });
    accounts = await usersWithRoles(app, ['manager', 'staff', 'viewer'], PASSWORD);
    carla = (await app.userWithRole('customer', { name: 'Carla Customer' })).user;
    await carla.update({ phone: '+44 23 9200 0000', address: '12 Harbour Road, Portsmouth' });
    rita = (await app.userWithRole('retailer', { name: 'Rita Retailer' })).user;
    for (const quantity of [2, 3]) orders.push(await customerOrder(carla, quantity));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A shopper's order placed through the storefront services: cart, then checkout. */
  async function customerOrder(user: User, quantity: number): Promise<Order> {
    const shopper = { id: user.id, role: user.role };
    await addCartItem({ productId, quantity }, shopper);
    return placeOrder({ deliveryAddress: user.address ?? '1 Test Street', contactNumber: '+44 23 9200 0000' }, shopper, { notify: false });
  }

  async function session(role: keyof typeof accounts | 'bootstrap-admin') {
    const opened = await browser.newPage();
    if (role === 'bootstrap-admin') await signIn(opened.page, app.url, ADMIN.email, ADMIN.password);
    else await signIn(opened.page, app.url, accounts[role].email, PASSWORD);
    return opened;
  }

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const navText = (page: Page) => page.locator('[data-css="sidebar"], nav, aside').first().innerText();
  const api = async (page: Page, path: string) => (await page.request.get(`${app.url}/admin/api/resources/${path}`)).json();

  it('when an admin creates a user with a password, then a bcrypt hash is stored, never shown, and the user can sign in with it', async () => {
    const { page, errors, context } = await session('bootstrap-admin');
    const password = 'Lighthouse-Keeper-42';
    await page.goto(`${app.url}/admin/resources/users/actions/new`);
    await page.fill('#name', 'Nora New');
    await page.fill('#email', 'Nora.New@Test.Local');
    await page.getByTestId('property-edit-role').locator('input').fill('staff');
    await page.keyboard.press('Enter');
    await page.fill('#password', password);
    await page.getByTestId('button-save').click();
    await page.getByTestId('notice-wrapper').getByText('Successfully created a new record').waitFor();

    const nora = (await User.findOne({ where: { email: 'nora.new@test.local' } }))!;
    assert.equal(nora.role, 'staff');
    assert.match(nora.passwordHash, /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/, 'a bcrypt hash');
    assert.ok(await verifyPassword(password, nora.passwordHash));
    const [audit] = await AuditLog.findAll({ where: { action: 'user.create', entityId: String(nora.id) } });
    // The users service's audit row, as for POST /api/users: who was created, never the password or its hash.
    assert.deepEqual(audit.changes, { name: 'Nora New', email: 'nora.new@test.local', role: 'staff' });
    assert.equal(SECRETS.test(JSON.stringify(audit.changes)), false, 'no hash in the audit row');

    await page.goto(`${app.url}/admin/resources/users/records/${nora.id}/show`);
    await page.getByText('nora.new@test.local').first().waitFor();
    assert.equal(HASH.test(await page.content()), false, 'the show page never carries the hash');
    assert.equal(SECRETS.test(JSON.stringify(await api(page, `users/records/${nora.id}/show`))), false);
    assert.equal(SECRETS.test(JSON.stringify(await api(page, 'users/actions/list'))), false);
    await page.goto(`${app.url}/admin/resources/users/records/${nora.id}/edit`);
    assert.equal(await page.inputValue('#password'), '', 'the edit form starts with an empty password');
    noErrors(errors);
    await context.close();

    const newcomer = await browser.newPage();
    await signIn(newcomer.page, app.url, 'nora.new@test.local', password);
    await newcomer.page.getByTestId('dashboard').waitFor();
    assert.match(await newcomer.page.locator('body').innerText(), /Nora New \(staff\)/);
    noErrors(newcomer.errors);
    await newcomer.context.close();
  });

  it('when a manager opens Storefront > Customers, then only shoppers are listed, without secrets, each with their orders', async () => {
    const { page, errors, context } = await session('manager');
    await page.getByTestId('dashboard').waitFor();
    assert.equal((await navText(page)).includes('Administration'), false, 'users stay admin-only');
    await page.getByText('Storefront').first().click();
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByText('Carla Customer').first().waitFor();
    await page.getByText('Rita Retailer').first().waitFor();
    const listed = await page.locator('table').first().innerText();
    for (const staffer of Object.values(accounts)) assert.equal(listed.includes(staffer.email), false, `${staffer.role} is not a customer`);
    assert.equal(listed.includes(ADMIN.email), false);
    assert.equal(await page.getByTestId('action-new').count(), 0, 'read-only');
    await page.screenshot({ path: '/tmp/admin-customers.png' });

    const list = await api(page, 'customers/actions/list?perPage=50');
    assert.deepEqual(list.records.map((r: { params: { name: string } }) => r.params.name).sort(), ['Carla Customer', 'Rita Retailer']);
    assert.equal(SECRETS.test(JSON.stringify(list)), false, 'no hashes, reset tokens or token versions');
    const admins = await api(page, 'customers/actions/list?filters.role=admin');
    assert.equal(admins.records.length, 0, 'a role filter cannot widen the view');
    const staffShown = await api(page, `customers/records/${accounts.staff.id}/show`);
    assert.equal(staffShown.notice?.type, 'error', 'a back-office account is not reachable as a customer');
    const edit = await page.request.post(`${app.url}/admin/api/resources/customers/records/${carla.id}/edit`, { multipart: { name: 'Changed' } });
    assert.equal((await edit.json()).notice?.type, 'error');
    assert.equal((await User.findByPk(carla.id))!.name, 'Carla Customer');

    await page.goto(`${app.url}/admin/resources/customers/records/${carla.id}/show`);
    const panel = page.getByTestId('customer-orders');
    await panel.waitFor();
    assert.equal(await page.getByTestId('customer-order-row').count(), 2);
    for (const order of orders) assert.match(await panel.innerText(), new RegExp(order.orderNumber!));
    const shown = await page.locator('body').innerText();
    for (const detail of [carla.email, '12 Harbour Road, Portsmouth', '+44 23 9200 0000']) assert.ok(shown.includes(detail), detail);
    assert.equal(HASH.test(await page.content()), false);
    await page.screenshot({ path: '/tmp/admin-customer-show.png', fullPage: true });

    await page.getByTestId('customer-all-orders').click();
    await page.getByText(orders[0].orderNumber!).first().waitFor();
    assert.match(page.url(), new RegExp(`/admin/resources/orders\\?filters.userId=${carla.id}`));
    const filtered = await api(page, `orders/actions/list?filters.userId=${carla.id}`);
    assert.deepEqual(filtered.records.map((r: { id: number }) => Number(r.id)).sort(), orders.map((o) => o.id).sort());
    const orderShown = await api(page, `orders/records/${orders[0].id}/show`);
    assert.equal(orderShown.record.populated.userId?.title, 'Carla Customer', 'an order names its customer');

    await page.goto(`${app.url}/admin/resources/customers/records/${rita.id}/show`);
    await page.getByTestId('customer-orders').getByText('No orders yet.').waitFor();
    noErrors(errors);
    await context.close();
  });

  it('when staff or a viewer signs in, then customers are neither listed in the navigation nor reachable', async () => {
    for (const role of ['staff', 'viewer'] as const) {
      const { page, errors, context } = await session(role);
      await page.getByTestId('dashboard').waitFor();
      await page.getByText('Storefront').first().click();
      assert.equal((await navText(page)).includes('Customers'), false, `${role}: not in the navigation`);
      const list = await api(page, 'customers/actions/list');
      assert.equal(list.notice?.type, 'error', `${role}: refused`);
      assert.equal(list.records.length, 0);
      assert.equal((await api(page, `customers/records/${carla.id}/show`)).notice?.type, 'error');
      noErrors(errors);
      await context.close();
    }
  });
});
