import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UploadedFile } from 'adminjs';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { startS3Server, type TestS3 } from '../helpers/s3-server.js';
import { ProductImageProvider } from '../../plugins/product-image/handlers/image-provider.js';
import { productImageName } from '../../src/modules/products/product-image.js';
import { replaceProductImage } from '../../src/modules/products/product.service.js';
import { User } from '../../src/modules/users/user.model.js';

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const BUCKET = 'stockpilot-images';

/** A PNG by its content, 300 KB with every byte value in its tail: a byte changed or lost on the way shows. */
const bigPng = () => Buffer.concat([PNG_1PX, randomBytes(300 * 1024)]);

function imageForm(content: Buffer, filename: string, type: string): FormData {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(content)], { type }), filename);
  return form;
}

describe('STORAGE=s3: product images in an S3-compatible store (s3rver)', () => {
  let s3: TestS3;
  let app: TestApp;
  let staff: string;
  let bucketBeforeStart: boolean;
  const create = (name: string) => app.http('POST', '/api/products', { token: app.adminToken, body: { name, category: 'Decor' } });
  const upload = (id: number, form: FormData) => app.http('POST', `/api/products/${id}/image`, { token: staff, raw: form });
  const served = async (image: string) => {
    const res = await fetch(`${app.url}/uploads/${image}`);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  before(async () => {
    s3 = await startS3Server();
    bucketBeforeStart = await s3.bucketExists(BUCKET);
    app = await startTestApp(s3.env(BUCKET));
    staff = (await app.userWithRole('staff')).token;
  });
  after(async () => {
    await app?.close();
    await s3?.stop();
  });

  it('when a PNG is uploaded through REST into a missing bucket, then the bucket is created and /uploads streams the same bytes with their type and cache headers', async () => {
    assert.equal(bucketBeforeStart, false);
    const id = (await create('Framed Print')).body.id;
    const image = bigPng();
    const res = await upload(id, imageForm(image, 'photo.png', 'image/png'));
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.imageUrl, /^\/uploads\/product-[0-9a-f]{32}\.png$/);
    assert.equal(await s3.bucketExists(BUCKET), true);
    assert.deepEqual(await s3.object(BUCKET, res.body.image), image, 'the object holds the upload as sent');
    assert.equal(existsSync(app.config.uploadDir), false, 'nothing lands in UPLOAD_DIR');

    const { res: got, bytes } = await served(res.body.image);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('content-length'), String(image.length));
    assert.equal(got.headers.get('cache-control'), 'public, max-age=604800');
    assert.ok(got.headers.get('etag'));
    assert.ok(got.headers.get('last-modified'));
    assert.ok(bytes.equals(image), 'byte-identical');

    const again = await fetch(`${app.url}/uploads/${res.body.image}`, { headers: { 'if-none-match': got.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('when a new image replaces the old one, then the old object is removed and its URL answers 404 in the API error shape', async () => {
    const id = (await create('Wall Clock')).body.id;
    const first = (await upload(id, imageForm(PNG_1PX, 'a.png', 'image/png'))).body.image;
    const res = await upload(id, imageForm(GIF, 'b.jpg', 'image/jpeg'));
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.image, /\.gif$/);
    assert.equal(await s3.object(BUCKET, first), undefined);
    const gone = await fetch(`${app.url}/uploads/${first}`);
    assert.equal(gone.status, 404);
    assert.equal((await gone.json()).error.code, 'NOT_FOUND');
    const { res: now, bytes } = await served(res.body.image);
    assert.equal(now.headers.get('content-type'), 'image/gif');
    assert.ok(bytes.equals(GIF));
  });

  it('when a product without history is deleted, then its image object goes with it', async () => {
    const id = (await create('Short Lived')).body.id;
    const image = (await upload(id, imageForm(PNG_1PX, 'a.png', 'image/png'))).body.image;
    assert.ok(await s3.object(BUCKET, image));
    assert.equal((await app.http('DELETE', `/api/products/${id}`, { token: app.adminToken })).status, 204);
    assert.equal(await s3.object(BUCKET, image), undefined);
  });

  it('when an upload is no image, has no file or is malformed, then 415/400 and nothing is stored', async () => {
    const id = (await create('Still Bare')).body.id;
    const before = await s3.keys(BUCKET);
    const text = await upload(id, imageForm(Buffer.from('just some text, honestly'), 'fake.png', 'image/png'));
    assert.equal(text.status, 415);
    const form = new FormData();
    form.append('note', 'no file');
    const empty = await upload(id, form);
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'BAD_REQUEST');
    const cut = await app.http('POST', `/api/products/${id}/image`, {
      token: staff,
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      raw: '--XyZ\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG',
    });
    assert.equal(cut.status, 400);
    assert.deepEqual(await s3.keys(BUCKET), before);
    assert.equal((await app.http('GET', `/api/products/${id}`, { token: staff })).body.image, null);
  });

  it("when the panel's upload provider stores and deletes an image, then it uses the same bucket and /uploads serves it", async () => {
    const id = (await create('Desk Lamp')).body.id;
    const admin = (await User.findOne({ where: { email: app.config.adminEmail } }))!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-panel-upload-'));
    try {
      // What the panel's form parser leaves for @adminjs/upload: a temp file, and the key our checkImage hook named.
      const image = bigPng();
      const file = { path: path.join(dir, 'upload_1'), name: 'lamp.png', type: 'image/png', size: image.length } as UploadedFile;
      writeFileSync(file.path, image);
      const key = productImageName('png');
      const provider = new ProductImageProvider();
      await provider.upload(file, key);
      await replaceProductImage(id, key, { id: admin.id, role: 'admin' });
      assert.equal(provider.path(key), `/uploads/${key}`);
      const rest = await app.http('GET', `/api/products/${id}`, { token: staff });
      assert.equal(rest.body.imageUrl, `/uploads/${key}`);
      assert.ok((await served(key)).bytes.equals(image));

      await provider.delete(key);
      assert.equal(await s3.object(BUCKET, key), undefined);
      assert.equal((await served(key)).res.status, 404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a name is unknown or not a plain file name, then 404 in the API error shape', async () => {
    for (const name of ['product-00000000000000000000000000000000.png', '..%2Fsecrets.json', '.hidden', 'a%20b.png']) {
      const res = await fetch(`${app.url}/uploads/${name}`);
      assert.equal(res.status, 404, name);
      assert.equal((await res.json()).error.code, 'NOT_FOUND', name);
    }
  });

  it('when the store stops answering, then an upload and a download answer 503 STORAGE_UNAVAILABLE, never 500', async () => {
    const id = (await create('Offline')).body.id;
    const kept = (await upload(id, imageForm(PNG_1PX, 'a.png', 'image/png'))).body.image;
    await s3.stop();
    const res = await upload(id, imageForm(PNG_1PX, 'b.png', 'image/png'));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.body.error.code, 'STORAGE_UNAVAILABLE');
    const got = await fetch(`${app.url}/uploads/${kept}`);
    assert.equal(got.status, 503);
    assert.equal((await got.json()).error.code, 'STORAGE_UNAVAILABLE');
    assert.equal((await app.http('GET', `/api/products/${id}`, { token: staff })).body.image, kept, 'the product keeps its image');
  });
});
