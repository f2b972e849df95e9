import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createProduct, launchBrowser, signIn, startPanelApp, usersWithRoles, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { addCartItem } from '../../src/modules/storefront/cart.service.js';
import { placeOrder } from '../../src/modules/storefront/order.service.js';
import { Order } from '../../src/modules/storefront/storefront.models.js';
import type { User } from '../../src/modules/users/user.model.js';

const PASSWORD = 'password-123';
const STATUS_ACTIONS = ['shipOrder', 'deliverOrder', 'cancelOrder'];

describe('storefront orders in the AdminJS panel', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let customer: User;
  let accounts: Record<'manager' | 'staff' | 'viewer', User>;

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    productId = await createProduct(app, { name: 'Desk Lamp LED', sku: 'LMP-LED', category: 'Office', price: 30, costPrice: 14, stock: 20 });
    accounts = await usersWithRoles(app, ['manager', 'staff', 'viewer'], PASSWORD);
    ({ user: customer } = await app.userWithRole('customer', { name: 'Carla Customer' }));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A shopper's order placed through the storefront services: cart, then checkout (takes the stock). */
  async function customerOrder(quantity: number): Promise<Order> {
    const shopper = { id: customer.id, role: 'customer' as const };
    await addCartItem({ productId, quantity }, shopper);
    return placeOrder({ deliveryAddress: '12 Harbour Road, Portsmouth', contactNumber: '+44 23 9200 0000' }, shopper, { notify: false });
  }

  async function session(role: keyof typeof accounts) {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, accounts[role].email, PASSWORD);
    return opened;
  }

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const stockOf = async () => (await Product.findByPk(productId))!.stock;
  const statusOf = async (id: number) => (await Order.findByPk(id))!.status;
  const actionCount = (page: Page, name: string) => page.getByTestId(`action-${name}`).count();
  /** Runs a record action the way its button does (GET, no form) and returns AdminJS's JSON answer. */
  const callAction = async (page: Page, id: number, action: string) =>
    (await page.request.get(`${app.url}/admin/api/resources/orders/records/${id}/${action}`)).json();

  async function clickStatusAction(page: Page, action: string, notice: RegExp) {
    await page.getByTestId(`action-${action}`).click();
    await page.getByRole('button', { name: /confirm/i }).click();
    await page.getByTestId('notice-wrapper').getByText(notice).waitFor();
  }

  it('when staff ships and then delivers an order, then each step shows its notice and only the legal next action', async () => {
    const order = await customerOrder(2);
    const { page, errors, context } = await session('staff');
    await page.goto(`${app.url}/admin/resources/orders/records/${order.id}/show`);
    await page.getByTestId('action-shipOrder').waitFor();
    assert.equal(await actionCount(page, 'deliverOrder'), 0, 'a pending order cannot be delivered');
    assert.equal(await actionCount(page, 'cancelOrder'), 1, 'a pending order can be cancelled');
    for (const action of ['edit', 'delete', 'new']) assert.equal(await actionCount(page, action), 0, `${action} is off: orders are read-only`);

    await clickStatusAction(page, 'shipOrder', new RegExp(`Order ${order.orderNumber} was shipped`));
    assert.equal(await statusOf(order.id), 'shipped');
    await page.getByTestId('action-deliverOrder').waitFor();
    assert.equal(await actionCount(page, 'shipOrder'), 0);
    assert.equal(await actionCount(page, 'cancelOrder'), 0, 'a shipped order cannot be cancelled');

    await clickStatusAction(page, 'deliverOrder', new RegExp(`Order ${order.orderNumber} was delivered`));
    assert.equal(await statusOf(order.id), 'delivered');
    await page.reload();
    await page.getByText(order.orderNumber!).first().waitFor();
    for (const action of STATUS_ACTIONS) assert.equal(await actionCount(page, action), 0, `${action} after delivery`);
    assert.equal(await AuditLog.count({ where: { action: 'order.status', entityId: String(order.id) } }), 2);
    noErrors(errors);
    await context.close();
  });

  it('when an illegal move is requested from a stale page, then the service 409 is the error notice and nothing changes', async () => {
    const order = await customerOrder(1);
    const { page, errors, context } = await session('staff');
    const answer = await callAction(page, order.id, 'deliverOrder');
    assert.equal(answer.notice?.type, 'error');
    assert.match(answer.notice.message, /An order that is pending cannot become delivered \(allowed: shipped, cancelled\)/);
    assert.equal(await statusOf(order.id), 'pending');
    noErrors(errors);
    await context.close();
  });

  it('when a manager cancels a pending order, then its stock is back and the ledger says so', async () => {
    const before = await stockOf();
    const order = await customerOrder(3);
    assert.equal(await stockOf(), before - 3);
    const { page, errors, context } = await session('manager');
    await page.goto(`${app.url}/admin/resources/orders/records/${order.id}/show`);
    await clickStatusAction(page, 'cancelOrder', /was cancelled; its stock is back on the shelf/);
    assert.equal(await statusOf(order.id), 'cancelled');
    assert.equal(await stockOf(), before);
    assert.equal(await StockMovement.count({ where: { productId, reason: 'order_cancel', referenceId: order.id } }), 1);
    await page.reload();
    await page.getByText(order.orderNumber!).first().waitFor();
    for (const action of STATUS_ACTIONS) assert.equal(await actionCount(page, action), 0, `${action} after cancel`);
    noErrors(errors);
    await context.close();
  });

  it('when a viewer signs in, then orders have no status actions and a direct call is refused', async () => {
    const order = await customerOrder(1);
    const { page, errors, context } = await session('viewer');
    await page.getByTestId('dashboard').waitFor();
    for (const action of STATUS_ACTIONS) {
      const answer = await callAction(page, order.id, action);
      assert.equal(answer.notice?.type, 'error', `${action} is refused`);
      assert.deepEqual(answer.record?.params ?? {}, {}, 'nothing of the order is returned');
    }
    const shown = await callAction(page, order.id, 'show');
    assert.equal(shown.notice?.type, 'error', 'orders (customer addresses) are for order managers only, as in REST');
    assert.equal(await statusOf(order.id), 'pending');
    noErrors(errors);
    await context.close();
  });
});
