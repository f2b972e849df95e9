import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { createProduct, launchBrowser, signIn, startPanelApp, usersWithRoles, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import type { User } from '../../src/modules/users/user.model.js';

const PASSWORD = 'password-123';
const MB = 1024 * 1024;

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

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real RGB PNG a browser can decode: a diagonal gradient from `from` to `to`, built byte by byte. */
function png(size: number, from: [number, number, number], to: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const rows = Array.from({ length: size }, (_, y) =>
    Buffer.from([0, ...Array.from({ length: size }, (_, x) => from.map((c, i) => Math.round(c + ((to[i] - c) * (x + y)) / (2 * size - 2)))).flat()]),
  );
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** `bytes` long, PNG by its first bytes: only the size decides its fate. */
function largePng(bytes: number): Buffer {
  return Buffer.concat([png(4, [0, 0, 0], [9, 9, 9]), Buffer.alloc(bytes)]).subarray(0, bytes);
}

describe('product images through @adminjs/upload in the AdminJS panel', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let productId: number;
  let accounts: Record<'staff' | 'viewer', User>;

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    productId = await createProduct(app, { name: 'Desk Lamp LED', sku: 'LMP-LED', category: 'Office', price: 30, costPrice: 14, stock: 20 });
    accounts = await usersWithRoles(app, ['staff', 'viewer'], PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function session(role: keyof typeof accounts) {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, accounts[role].email, PASSWORD);
    return opened;
  }

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const storedImage = async () => (await Product.findByPk(productId))!.image;
  const uploads = () => (existsSync(app.config.uploadDir) ? readdirSync(app.config.uploadDir).sort() : []);
  /** The form parser's temp folder: empty whenever no request is running. */
  const incoming = () => readdirSync(path.resolve(app.config.dataDir, 'panel-uploads'));
  const imageAudits = () => AuditLog.findAll({ where: { action: 'product.update', entityId: String(productId) }, order: [['id', 'ASC']] });
  const editUrl = () => `${app.url}/admin/resources/products/records/${productId}/edit`;

  async function chooseAndSave(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
    await page.goto(editUrl());
    await page.getByTestId('image-upload').locator('input[type="file"]').setInputFiles(file);
    await page.getByTestId('button-save').click();
  }

  /** Waits until the <img> for the stored file has loaded and returns its natural width. */
  async function loadedWidth(page: Page, stored: string): Promise<number> {
    const img = page.locator(`img[src="/uploads/${stored}"]`).first();
    await img.waitFor();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
  }

  it('when staff uploads a PNG in the product form, then the list and the show page show it and REST gives the same imageUrl', async () => {
    const { page, errors, context } = await session('staff');
    const image = png(48, [14, 116, 144], [250, 204, 21]);
    await page.goto(editUrl());
    const field = page.getByTestId('image-upload');
    await field.getByText('Max size: 5 MB').waitFor();
    await field.getByText('Supports: JPEG, PNG, WEBP, GIF').waitFor();
    await chooseAndSave(page, { name: 'lamp.png', mimeType: 'image/png', buffer: image });
    await page.getByTestId('notice-wrapper').getByText('Successfully updated given record').waitFor();

    const stored = await storedImage();
    assert.match(stored ?? '', /^product-[0-9a-f]{32}\.png$/, 'a random plain name, as REST stores it');
    assert.deepEqual(readFileSync(path.join(app.config.uploadDir, stored!)), image);
    const [audit] = await imageAudits();
    assert.deepEqual(audit.changes, { image: { from: null, to: stored } });
    assert.equal(audit.userId, accounts.staff.id);
    assert.equal(audit.ip, '127.0.0.1');

    const rest = await app.http('GET', `/api/products/${productId}`, { token: app.adminToken });
    assert.equal(rest.body.imageUrl, `/uploads/${stored}`);
    const served = await fetch(`${app.url}${rest.body.imageUrl}`);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), image);

    await page.goto(`${app.url}/admin/resources/products`);
    assert.equal(await loadedWidth(page, stored!), 48);
    await page.screenshot({ path: '/tmp/admin-products-thumbnails.png' });
    await page.goto(`${app.url}/admin/resources/products/records/${productId}/show`);
    assert.equal(await loadedWidth(page, stored!), 48);
    await page.screenshot({ path: '/tmp/admin-product-image.png' });
    assert.deepEqual(incoming(), [], 'the temp file is gone');
    noErrors(errors);
    await context.close();
  });

  it('when a second image replaces the first, then the old file is removed and REST follows', async () => {
    const { page, errors, context } = await session('staff');
    const previous = (await storedImage())!;
    const image = png(32, [190, 18, 60], [251, 146, 60]);
    await chooseAndSave(page, { name: 'lamp-red.png', mimeType: 'image/png', buffer: image });
    await page.getByTestId('notice-wrapper').getByText('Successfully updated given record').waitFor();
    const stored = (await storedImage())!;
    assert.notEqual(stored, previous);
    assert.deepEqual(uploads(), [stored], 'only the new file is kept');
    const rest = await app.http('GET', `/api/products/${productId}`, { token: app.adminToken });
    assert.equal(rest.body.imageUrl, `/uploads/${stored}`);
    assert.deepEqual((await imageAudits()).at(-1)!.changes, { image: { from: previous, to: stored } });
    noErrors(errors);
    await context.close();
  });

  it('when the chosen file is not an image, then the form says so and nothing is stored', async () => {
    const { page, errors, context } = await session('staff');
    const [before, files, audits] = [await storedImage(), uploads(), (await imageAudits()).length];
    await chooseAndSave(page, { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are meeting notes, not a picture') });
    await page.getByTestId('notice-wrapper').getByText('Only JPEG, PNG, WebP and GIF images are accepted').waitFor();
    await page.getByTestId('image-upload').getByText('Only JPEG, PNG, WebP and GIF images are accepted').waitFor();
    assert.match(page.url(), /\/edit$/, 'the form stays open');
    assert.equal(await storedImage(), before);
    assert.deepEqual(uploads(), files);
    assert.equal((await imageAudits()).length, audits);
    assert.deepEqual(incoming(), []);
    noErrors(errors);
    await context.close();
  });

  it('when an image is over 5 MB, then the drop zone refuses it and the server refuses it too, keeping nothing', async () => {
    const { page, errors, context } = await session('staff');
    const [before, files] = [await storedImage(), uploads()];
    await page.goto(editUrl());
    const field = page.getByTestId('image-upload');
    await field.locator('input[type="file"]').setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: largePng(6 * MB) });
    await field.getByText('This file is larger than 5 MB').waitFor();

    // The same file sent straight to the action, past the drop zone: each limit answers in its own words.
    const post = (bytes: number) =>
      page.request.post(`${app.url}/admin/api/resources/products/records/${productId}/edit`, {
        multipart: { name: 'Desk Lamp LED', 'imageFile.0': { name: 'poster.png', mimeType: 'image/png', buffer: largePng(bytes) } },
      });
    const overRule = await post(5.5 * MB);
    assert.equal(overRule.status(), 200);
    assert.equal((await overRule.json()).notice.message, 'Image is larger than 5 MB');
    for (const bytes of [6.5 * MB, 40 * MB]) {
      const refused = await post(bytes);
      assert.equal(refused.status(), 413, `${bytes} bytes`);
      assert.match((await refused.json()).error.message, /The upload is too large: product images may be at most 5 MB/);
    }
    await page.waitForTimeout(100); // the parser removes its partial file on the next tick
    assert.deepEqual(incoming(), [], 'no partial upload is left on disk');
    assert.equal(await storedImage(), before);
    assert.deepEqual(uploads(), files);
    noErrors(errors);
    await context.close();
  });

  it('when a form body is cut short or has no boundary, or a field holds a NUL character, then 400 or a field error, never 500, and nothing changes', async () => {
    const { page, errors, context } = await session('staff');
    const [before, files] = [await storedImage(), uploads()];
    const name = (await Product.findByPk(productId))!.name;
    const url = `${app.url}/admin/api/resources/products/records/${productId}/edit`;
    const part = '--XX\r\nContent-Disposition: form-data; name="name"\r\n\r\n';
    const cut = await page.request.post(url, { headers: { 'content-type': 'multipart/form-data; boundary=XX' }, data: Buffer.from(`${part}Desk La`) });
    assert.equal(cut.status(), 400, await cut.text());
    assert.match((await cut.json()).notice.message, /could not be read/);
    const noBoundary = await page.request.post(url, { headers: { 'content-type': 'multipart/form-data' }, data: Buffer.from(`${part}Desk Lamp\r\n--XX--\r\n`) });
    assert.equal(noBoundary.status(), 400, await noBoundary.text());
    const nul = await page.request.post(url, { headers: { 'content-type': 'multipart/form-data; boundary=XX' }, data: Buffer.from(`${part}Desk\u0000Lamp\r\n--XX--\r\n`) });
    assert.equal(nul.status(), 200);
    assert.deepEqual((await nul.json()).record.errors.name, { message: 'must not contain a NUL character' });
    assert.equal((await Product.findByPk(productId))!.name, name);
    assert.equal(await storedImage(), before);
    assert.deepEqual(uploads(), files);
    noErrors(errors);
    await context.close();
  });

  it('when a viewer posts an image straight to the action, then it is refused and nothing is stored', async () => {
    const { page, errors, context } = await session('viewer');
    const [before, files] = [await storedImage(), uploads()];
    const answer = await page.request.post(`${app.url}/admin/api/resources/products/records/${productId}/edit`, {
      multipart: { 'imageFile.0': { name: 'lamp.png', mimeType: 'image/png', buffer: png(8, [0, 0, 0], [255, 255, 255]) } },
    });
    assert.equal((await answer.json()).notice?.type, 'error');
    assert.equal(await storedImage(), before);
    assert.deepEqual(uploads(), files);
    assert.deepEqual(incoming(), []);
    noErrors(errors);
    await context.close();
  });
});
