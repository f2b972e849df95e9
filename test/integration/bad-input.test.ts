import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { Supplier } from '../../src/modules/suppliers/supplier.model.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Sends `body` as is (fetch would refuse or fix some of these) and reads the answer. */
function rawPost(url: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('bad input never gives a 500', () => {
  let app: TestApp;
  let productId: number;
  before(async () => {
    app = await startTestApp();
    productId = (await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'Widget', price: 5, costPrice: 2 } })).body.id;
  });
  after(() => app.close());

  describe('multipart uploads', () => {
    const boundary = 'XBOUNDARYX';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`);
    const upload = (body: Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
      rawPost(app.url, `/api/products/${productId}/image`, { authorization: `Bearer ${app.adminToken}`, 'content-type': contentType }, body);

    it('when the body ends before its closing boundary, then 400 BAD_REQUEST (busboy: Unexpected end of form)', async () => {
      const res = await upload(Buffer.concat([head, PNG]));
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.equal(res.json.error.code, 'BAD_REQUEST');
      assert.match(res.json.error.message, /multipart/i);
    });

    it('when the part header is broken or the boundary is missing, then 400', async () => {
      const broken = await upload(Buffer.from(`--${boundary}\r\nContent-Disposition form-data name\r\n\r\nxx\r\n--${boundary}--\r\n`));
      assert.equal(broken.status, 400, JSON.stringify(broken.json));
      const noBoundary = await upload(Buffer.concat([head, PNG]), 'multipart/form-data');
      assert.equal(noBoundary.status, 400, JSON.stringify(noBoundary.json));
    });

    it('when a well-formed upload follows, then it is stored as before', async () => {
      const res = await upload(Buffer.concat([head, PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]));
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.match(res.json.image, /\.png$/);
    });
  });

  describe('URL encoding', () => {
    for (const path of ['/api/products/%E0%A4%A', '/api/suppliers/%E0%A4%A', '/api/storefront/products/%E0%A4%A', '/api/products/%', '/api/sales/%C0%AF']) {
      it(`when ${path} is asked for, then 400 BAD_REQUEST`, async () => {
        const res = await app.http('GET', path, { token: app.adminToken });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.error.code, 'BAD_REQUEST');
      });
    }

    it('when a query value has a broken escape, then it is taken literally and validated (never 500)', async () => {
      const res = await app.http('GET', '/api/products?search=%E0%A4%A&limit=%FF', { token: app.adminToken });
      assert.equal(res.status < 500, true, res.text);
    });
  });

  describe('bodies of the wrong shape', () => {
    for (const path of ['/api/auth/login', '/api/auth/forgot-password']) {
      it(`when ${path} gets an email that is an object, then 400 before the rate limiter reads it`, async () => {
        const res = await app.http('POST', path, { body: { email: { toString: 'x' }, password: 'whatever-123' } });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      });
    }

    it('when a coupon is created or updated with validFrom "not-a-date", then 400 naming the field', async () => {
      const created = await app.http('POST', '/api/coupons', { token: app.adminToken, body: { code: 'BADDATE', discountPercent: 10, validFrom: 'not-a-date', validTo: '2026-12-31T00:00:00Z' } });
      assert.equal(created.status, 400, created.text);
      assert.equal(created.body.error.details[0].path, 'validFrom');
      const coupon = await app.http('POST', '/api/coupons', { token: app.adminToken, body: { code: 'GOODDATE', discountPercent: 10 } });
      assert.equal(coupon.status, 201, coupon.text);
      const updated = await app.http('PUT', `/api/coupons/${coupon.body.id}`, { token: app.adminToken, body: { validFrom: 'not-a-date' } });
      assert.equal(updated.status, 400, updated.text);
    });
  });

  describe('NUL characters in text', () => {
    it('when a JSON text field holds U+0000, then 400 VALIDATION_FAILED naming the field, and nothing is stored', async () => {
      const res = await app.http('POST', '/api/suppliers', { token: app.adminToken, body: { name: 'Acme\u0000 Ltd', notes: 'fine' } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.error.details, [{ path: 'name', message: 'must not contain a NUL character' }]);
      assert.equal(await Supplier.count(), 0);
    });

    it('when a nested field, a query value or a path parameter holds U+0000, then 400 as well', async () => {
      const nested = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId, quantity: 1 }], customerName: 'Bob\u0000' } });
      assert.equal(nested.status, 400, nested.text);
      const query = await app.http('GET', '/api/products?search=a%00b', { token: app.adminToken });
      assert.equal(query.status, 400, query.text);
      assert.equal(query.body.error.details[0].path, 'search');
      const param = await app.http('GET', '/api/products/1%00', { token: app.adminToken });
      assert.equal(param.status, 400, param.text);
    });

    it('when login gets an email with U+0000, then 400 before the rate limiter reads it', async () => {
      const res = await app.http('POST', '/api/auth/login', { body: { email: 'admin@test.local\u0000', password: 'whatever-123' } });
      assert.equal(res.status, 400, res.text);
    });
  });
});
