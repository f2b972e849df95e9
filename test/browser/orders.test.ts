import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { addCartItem } from '../../src/modules/storefront/cart.service.js';
import { placeOrder } from '../../src/modules/storefront/order.service.js';
import { Order } from '../../src/modules/storefront/storefront.models.js';
import type { User } from '../../src/modules/users/user.model.js';
import type { Role } from '../../src/shared/rights.js';

const PASSWORD = 'password-123';
const STATUS_ACTIONS = ['shipOrder', 'deliverOrder', 'cancelOrder'];

/** CRC-32 as PNG chunks need it (polynomial 0xEDB88320). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 4x4 RGB PNG (a browser can decode it), built byte by byte. */
function tinyPng(): Buffer {
  const size = 4;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0x3c)]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

describe('storefront orders and product images in the AdminJS panel', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let customer: User;
  const accounts: Partial<Record<Role, string>> = {};

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    const product = await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'Desk Lamp LED', sku: 'LMP-LED', category: 'Office', price: 30, costPrice: 14, stock: 20 } });
    assert.equal(product.status, 201, product.text);
    productId = product.body.id;
    for (const role of ['manager', 'staff', 'viewer'] as const) {
      const { user } = await app.userWithRole(role, { password: PASSWORD });
      accounts[role] = user.email;
    }
    ({ user: customer } = await app.userWithRole('customer', { name: 'Carla Customer' }));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A shopper's order placed through the storefront services: cart, then checkout (takes the stock). */
  async function customerOrder(quantity: number): Promise<Order> {
    const shopper = { id: customer.id, role: 'customer' as const, email: customer.email, name: customer.name };
    await addCartItem(shopper, { productId, quantity });
    return placeOrder(shopper, { deliveryAddress: '12 Harbour Road, Portsmouth', contactNumber: '+44 23 9200 0000' }, { notify: false });
  }

  async function session(role: Role) {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, accounts[role]!, PASSWORD);
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

  it('when staff uploads a PNG for a product, then the thumbnail comes from /uploads and a non-image is refused', async () => {
    const { page, errors, context } = await session('staff');
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/show`);
    await page.getByText('No image').first().waitFor();
    await page.getByTestId('action-uploadImage').click();
    await page.getByTestId('upload-image-form').waitFor();

    await page.setInputFiles('#image', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is plain text, not an image') });
    await page.getByRole('button', { name: 'Upload image' }).click();
    await page.getByTestId('notice-wrapper').getByText('Only JPEG, PNG, WebP and GIF images are accepted').waitFor();
    assert.equal((await Product.findByPk(productId))!.image, null);

    await page.setInputFiles('#image', { name: 'lamp.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.getByRole('button', { name: 'Upload image' }).click();
    await page.getByTestId('notice-wrapper').getByText('Image saved for Desk Lamp LED').waitFor();
    const stored = (await Product.findByPk(productId))!.image;
    assert.match(stored ?? '', /^product-[0-9a-f]{32}\.png$/);
    assert.ok(existsSync(path.join(app.config.uploadDir, stored!)));

    const thumbnail = page.locator(`img[src="/uploads/${stored}"]`).first();
    await thumbnail.waitFor();
    await page.waitForFunction((src) => {
      const img = document.querySelector(`img[src="${src}"]`) as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth === 4;
    }, `/uploads/${stored}`);
    await page.goto(`${app.url}/admin/resources/products`);
    await page.locator(`img[src="/uploads/${stored}"]`).first().waitFor();
    assert.equal(await AuditLog.count({ where: { action: 'product.update', entityId: String(productId) } }), 1);
    noErrors(errors);
    await context.close();
  });
});
