import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { StockMovement } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function imageForm(content: Buffer, filename: string, type: string): FormData {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(content)], { type }), filename);
  return form;
}

async function ledgerMatchesStock(productId: number): Promise<void> {
  const product = await Product.findByPk(productId);
  const sum = Number((await StockMovement.sum('delta', { where: { productId } })) ?? 0);
  assert.equal(sum, product!.stock, `ledger sum of product ${productId}`);
}

describe('products', () => {
  let app: TestApp;
  let admin: string;
  let manager: string;
  let staff: string;
  let viewer: string;
  let customer: string;
  let supplierId: number;
  const create = (body: Record<string, unknown>, token = admin) => app.http('POST', '/api/products', { token, body });

  before(async () => {
    app = await startTestApp();
    admin = app.adminToken;
    manager = (await app.userWithRole('manager')).token;
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
    customer = (await app.userWithRole('customer')).token;
    supplierId = (await app.http('POST', '/api/suppliers', { token: admin, body: { name: 'Northwind', leadTimeDays: 5 } })).body.id;
  });
  after(() => app.close());

  describe('create', () => {
    it('when a product is created without SKU, then the SKU comes from the category and stock is an initial movement', async () => {
      const res = await create({ name: 'Wireless Mouse', category: 'Electronics', price: 24.99, costPrice: 9.9, stock: 12, supplierId, lowStockThreshold: 5 });
      assert.equal(res.status, 201);
      assert.match(res.body.sku, /^ELE-\d{6}$/);
      assert.equal(res.body.price, 24.99);
      assert.equal(res.body.stock, 12);
      assert.deepEqual(res.body.supplier, { id: supplierId, name: 'Northwind' });
      assert.equal(res.body.imageUrl, null);
      assert.equal(res.body.archivedAt, null);
      const movements = await app.http('GET', `/api/products/${res.body.id}/movements`, { token: viewer });
      assert.equal(movements.status, 200);
      assert.equal(movements.body.total, 1);
      assert.deepEqual(
        { reason: movements.body.data[0].reason, delta: movements.body.data[0].delta, balanceAfter: movements.body.data[0].balanceAfter },
        { reason: 'initial', delta: 12, balanceAfter: 12 },
      );
      const audit = await AuditLog.findOne({ where: { action: 'product.create', entityId: String(res.body.id) } });
      assert.equal((audit!.changes as Record<string, unknown>).sku, res.body.sku);
      await ledgerMatchesStock(res.body.id);
    });

    it('when the body is invalid, then 400 names each bad field', async () => {
      const res = await create({ price: -1, costPrice: 1.999, stock: 1.5, targetRole: 'vip' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
      assert.deepEqual(paths, ['costPrice', 'name', 'price', 'stock', 'targetRole']);
    });

    it('when the SKU is taken (in any case), then 409 DUPLICATE', async () => {
      assert.equal((await create({ name: 'Cable', sku: 'CAB-1' })).status, 201);
      const res = await create({ name: 'Other cable', sku: 'cab-1' });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'DUPLICATE');
      assert.equal(res.body.error.details[0].path, 'sku');
    });

    it('when the supplier does not exist, then 400 on supplierId', async () => {
      const res = await create({ name: 'Orphan', supplierId: 99999 });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.details[0].path, 'supplierId');
    });

    it('when a hand-made SKU holds the next number, then generation skips it', async () => {
      assert.equal((await create({ name: 'Manual', category: 'Kitchen', sku: 'KIT-000001' })).status, 201);
      const res = await create({ name: 'Kettle', category: 'Kitchen' });
      assert.equal(res.body.sku, 'KIT-000002');
    });

    it('when 20 products of one category are created at once, then all SKUs are distinct', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => create({ name: `Lamp ${i}`, category: 'Lighting', stock: 1 })));
      assert.deepEqual(results.map((r) => r.status), Array(20).fill(201));
      const skus = new Set(results.map((r) => r.body.sku));
      assert.equal(skus.size, 20);
      for (const sku of skus) assert.match(sku, /^LIG-\d{6}$/);
    });
  });

  describe('list', () => {
    let ids: Record<string, number>;
    before(async () => {
      const other = (await app.http('POST', '/api/suppliers', { token: admin, body: { name: 'Contoso' } })).body.id;
      const made = await Promise.all([
        create({ name: 'Zeta Desk', category: 'Furniture', price: 300, stock: 0, supplierId: other, description: 'standing desk' }),
        create({ name: 'Alpha Chair', category: 'Furniture', price: 150.5, stock: 3, supplierId: other }),
        create({ name: 'Beta Shelf', category: 'Furniture', price: 80, stock: 50, supplierId: other, lowStockThreshold: 60 }),
        create({ name: 'Gamma Stool', category: 'Furniture', price: 45, stock: 11, supplierId: other, sku: 'STOOL-1' }),
      ]);
      ids = Object.fromEntries(made.map((r) => [r.body.name.split(' ')[0], r.body.id]));
    });
    const names = (body: { data: { name: string }[] }) => body.data.map((p) => p.name);
    const list = async (qs: string) => {
      const res = await app.http('GET', `/api/products?category=Furniture&${qs}`, { token: viewer });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };

    it('when sorted and paginated, then the list shape and order follow the query', async () => {
      const page = await list('sort=-price&limit=2&page=2');
      assert.deepEqual({ page: page.page, limit: page.limit, total: page.total }, { page: 2, limit: 2, total: 4 });
      assert.deepEqual(names(page), ['Beta Shelf', 'Gamma Stool']);
      assert.deepEqual(names(await list('')), ['Alpha Chair', 'Beta Shelf', 'Gamma Stool', 'Zeta Desk']);
      assert.deepEqual(names(await list('sort=stock')), ['Zeta Desk', 'Alpha Chair', 'Gamma Stool', 'Beta Shelf']);
      assert.equal((await list('')).data[0].supplier.name, 'Contoso');
    });

    it('when filtering, then search, price range, stock and low-stock filters apply', async () => {
      assert.deepEqual(names(await list('search=standing')), ['Zeta Desk']);
      assert.deepEqual(names(await list('search=stool-1')), ['Gamma Stool']);
      assert.deepEqual(names(await list('minPrice=80&maxPrice=150.5')), ['Alpha Chair', 'Beta Shelf']);
      assert.deepEqual(names(await list('inStock=false')), ['Zeta Desk']);
      assert.deepEqual(names(await list('inStock=true&sort=name')), ['Alpha Chair', 'Beta Shelf', 'Gamma Stool']);
      // Own threshold 60 for the shelf; the settings default (10) for the others.
      assert.deepEqual(names(await list('lowStock=true')), ['Alpha Chair', 'Beta Shelf', 'Zeta Desk']);
      const bySupplier = await app.http('GET', `/api/products?supplierId=${supplierId}`, { token: viewer });
      assert.ok(bySupplier.body.data.every((p: { supplierId: number }) => p.supplierId === supplierId));
      assert.ok(bySupplier.body.total >= 1);
    });

    it('when the sort field or a filter is unknown or malformed, then 400', async () => {
      const res = await app.http('GET', '/api/products?sort=costPrice', { token: viewer });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.details[0].path, 'sort');
      assert.equal((await app.http('GET', '/api/products?inStock=maybe', { token: viewer })).status, 400);
      assert.equal((await app.http('GET', '/api/products?limit=101', { token: viewer })).status, 400);
    });

    it('when a product is archived, then it leaves the list unless includeArchived=true', async () => {
      await app.http('POST', `/api/products/${ids.Gamma}/adjust-stock`, { token: staff, body: { delta: -1, reason: 'damage' } });
      const del = await app.http('DELETE', `/api/products/${ids.Gamma}`, { token: manager });
      assert.equal(del.status, 200);
      assert.ok(del.body.archivedAt);
      assert.deepEqual(names(await list('')), ['Alpha Chair', 'Beta Shelf', 'Zeta Desk']);
      assert.deepEqual(names(await list('includeArchived=true')), ['Alpha Chair', 'Beta Shelf', 'Gamma Stool', 'Zeta Desk']);
      assert.equal((await AuditLog.count({ where: { action: 'product.archive', entityId: String(ids.Gamma) } })), 1);
      // Its dates, by id and in the list, are the stored instants to the millisecond.
      const stored = (await Product.findByPk(ids.Gamma))!;
      const dates = { archivedAt: stored.archivedAt!.toISOString(), createdAt: stored.createdAt.toISOString(), updatedAt: stored.updatedAt.toISOString() };
      const byId = await app.http('GET', `/api/products/${ids.Gamma}`, { token: staff });
      const listed = (await app.http('GET', '/api/products?includeArchived=true&search=Gamma', { token: staff })).body.data[0];
      for (const shown of [byId.body, listed]) assert.deepEqual({ archivedAt: shown.archivedAt, createdAt: shown.createdAt, updatedAt: shown.updatedAt }, dates);
    });

    it('when exported as CSV, then the header and the filtered rows stream as an attachment', async () => {
      const res = await app.http('GET', '/api/products/export?format=csv&category=Furniture&minPrice=50', { token: viewer });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/csv/);
      assert.match(res.headers.get('content-disposition')!, /^attachment; filename="products-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = res.text.trim().split(/\r\n/);
      assert.ok(lines[0].startsWith('"id","sku","name","category"'));
      assert.equal(lines.length, 4);
      assert.ok(lines.some((l) => l.includes('"Alpha Chair"') && l.includes('"150.50"') && l.includes('"Contoso"')));
      assert.ok(!lines.some((l) => l.includes('Gamma Stool')));
      const empty = await app.http('GET', '/api/products/export?category=Nothing', { token: staff });
      assert.equal(empty.status, 200);
      assert.ok(empty.text.startsWith('"id","sku"'));
      assert.equal((await app.http('GET', '/api/products/export?format=xml', { token: viewer })).status, 400);
      assert.equal((await app.http('GET', '/api/products/export', { token: customer })).status, 403);
    });

    it('when stock, a product or its supplier changes, then the next list shows it (the list cache never serves older data)', async () => {
      const supplier = (await app.http('POST', '/api/suppliers', { token: admin, body: { name: 'Fresh Supplies' } })).body;
      const product = (await create({ name: 'Cache Probe Lamp', category: 'Lighting', price: 10, stock: 9, supplierId: supplier.id })).body;
      const listed = async () => (await app.http('GET', '/api/products?search=Cache%20Probe', { token: viewer })).body.data[0];
      assert.equal((await listed()).stock, 9);
      assert.equal((await listed()).stock, 9);

      assert.equal((await app.http('POST', '/api/sales', { token: admin, body: { items: [{ productId: product.id, quantity: 4 }] } })).status, 201);
      assert.equal((await listed()).stock, 5);
      assert.equal((await app.http('POST', `/api/products/${product.id}/adjust-stock`, { token: admin, body: { delta: 2, reason: 'count' } })).status, 200);
      assert.equal((await listed()).stock, 7);
      assert.equal((await app.http('PUT', `/api/products/${product.id}`, { token: admin, body: { price: 12.5 } })).status, 200);
      assert.equal((await listed()).price, 12.5);
      assert.equal((await app.http('PUT', `/api/suppliers/${supplier.id}`, { token: admin, body: { name: 'Renamed Supplies' } })).status, 200);
      assert.equal((await listed()).supplier.name, 'Renamed Supplies');
      // A write that rolls back (too large a sale) changes nothing and the list still agrees.
      assert.equal((await app.http('POST', '/api/sales', { token: admin, body: { items: [{ productId: product.id, quantity: 99 }] } })).status, 409);
      assert.equal((await listed()).stock, 7);
    });
  });

  describe('large export', () => {
    it('when the filtered list spans several read batches, then every row appears once, in id order', async () => {
      // Fixture rows with no stock (so no ledger rows are needed), written directly for speed.
      await Product.bulkCreate(Array.from({ length: 2150 }, (_, i) => ({ sku: `BULK-${i}`, name: `Bulk item ${i}`, category: 'Bulk', price: 1 })));
      const res = await app.http('GET', '/api/products/export?category=Bulk', { token: viewer });
      assert.equal(res.status, 200);
      const ids = res.text.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
      assert.equal(ids.length, 2150);
      assert.equal(new Set(ids).size, 2150);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    });
  });

  describe('single product', () => {
    let id: number;
    before(async () => {
      id = (await create({ name: 'Desk Lamp', category: 'Lighting', price: 19.99, stock: 10 })).body.id;
    });

    it('when it does not exist or the id is not a number, then 404 or 400', async () => {
      assert.equal((await app.http('GET', '/api/products/999999', { token: viewer })).status, 404);
      assert.equal((await app.http('GET', '/api/products/abc', { token: viewer })).status, 400);
      assert.equal((await app.http('PUT', '/api/products/999999', { token: admin, body: { name: 'x' } })).status, 404);
      assert.equal((await app.http('DELETE', '/api/products/999999', { token: admin })).status, 404);
      assert.equal((await app.http('POST', '/api/products/999999/adjust-stock', { token: admin, body: { delta: 1, reason: 'count' } })).status, 404);
      assert.equal((await app.http('GET', '/api/products/999999/movements', { token: admin })).status, 404);
    });

    it('when updated partially, then only the given fields change and the change is audited', async () => {
      const res = await app.http('PUT', `/api/products/${id}`, { token: staff, body: { price: 21.5, description: 'Warm white' } });
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.name, res.body.price, res.body.description, res.body.stock], ['Desk Lamp', 21.5, 'Warm white', 10]);
      const audit = await AuditLog.findOne({ where: { action: 'product.update', entityId: String(id) }, order: [['id', 'DESC']] });
      assert.deepEqual((audit!.changes as Record<string, unknown>).price, { from: 19.99, to: 21.5 });
    });

    it('when an update carries stock or nothing, then 400 explains why', async () => {
      const res = await app.http('PUT', `/api/products/${id}`, { token: staff, body: { name: 'Lamp', stock: 99 } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.details[0].path, 'stock');
      assert.match(res.body.error.details[0].message, /adjust-stock/);
      assert.equal((await Product.findByPk(id))!.stock, 10);
      assert.equal((await app.http('PUT', `/api/products/${id}`, { token: staff, body: {} })).status, 400);
    });

    it('when stock is adjusted, then the ledger keeps reason, note and balance, and matches the stock', async () => {
      const up = await app.http('POST', `/api/products/${id}/adjust-stock`, { token: staff, body: { delta: 5, reason: 'count', note: 'Shelf recount' } });
      assert.equal(up.status, 200);
      assert.equal(up.body.stock, 15);
      const down = await app.http('POST', `/api/products/${id}/adjust-stock`, { token: staff, body: { delta: -4, reason: 'damage' } });
      assert.equal(down.body.stock, 11);
      const row = await StockMovement.findOne({ where: { productId: id, adjustmentReason: 'count' } });
      assert.deepEqual([row!.reason, row!.delta, row!.balanceAfter, row!.note], ['adjustment', 5, 15, 'Shelf recount']);
      const movements = await app.http('GET', `/api/products/${id}/movements?limit=2`, { token: viewer });
      assert.deepEqual(movements.body.data.map((m: { delta: number }) => m.delta), [-4, 5]);
      assert.equal(movements.body.total, 3);
      const audit = await AuditLog.findOne({ where: { action: 'stock.adjust', entityId: String(id) }, order: [['id', 'DESC']] });
      assert.deepEqual((audit!.changes as Record<string, unknown>).stock, { from: 15, to: 11 });
      await ledgerMatchesStock(id);
    });

    it('when an adjustment would go below zero or is malformed, then nothing is written', async () => {
      const res = await app.http('POST', `/api/products/${id}/adjust-stock`, { token: staff, body: { delta: -12, reason: 'loss' } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'INSUFFICIENT_STOCK');
      assert.match(res.body.error.message, /Desk Lamp/);
      const bad = await app.http('POST', `/api/products/${id}/adjust-stock`, { token: staff, body: { delta: 0, reason: 'theft', note: 'x'.repeat(501) } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.error.details.map((d: { path: string }) => d.path).sort(), ['delta', 'note', 'reason']);
      assert.equal((await Product.findByPk(id))!.stock, 11);
      assert.equal(await StockMovement.count({ where: { productId: id } }), 3);
      await ledgerMatchesStock(id);
    });

    it('when a product without history is deleted, then it is destroyed with its initial ledger row', async () => {
      const fresh = (await create({ name: 'Short-lived', stock: 4 })).body.id;
      const res = await app.http('DELETE', `/api/products/${fresh}`, { token: manager });
      assert.equal(res.status, 204);
      assert.equal((await app.http('GET', `/api/products/${fresh}`, { token: viewer })).status, 404);
      assert.equal(await StockMovement.count({ where: { productId: fresh } }), 0);
      assert.equal(await AuditLog.count({ where: { action: 'product.delete', entityId: String(fresh) } }), 1);
    });
  });

  describe('images', () => {
    let id: number;
    before(async () => {
      id = (await create({ name: 'Framed Print', category: 'Decor' })).body.id;
    });
    const upload = (form: FormData, token = staff, productId = id) => app.http('POST', `/api/products/${productId}/image`, { token, raw: form });

    it('when a PNG is uploaded, then it is stored under a random name and served from /uploads', async () => {
      const res = await upload(imageForm(PNG, 'photo.png', 'image/png'));
      assert.equal(res.status, 200, res.text);
      assert.match(res.body.imageUrl, /^\/uploads\/product-[0-9a-f]{32}\.png$/);
      const served = await fetch(app.url + res.body.imageUrl);
      assert.equal(served.status, 200);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
    });

    it('when a new image replaces the old one, then the old file is removed', async () => {
      const old = (await app.http('GET', `/api/products/${id}`, { token: viewer })).body.image;
      // The declared name and type are ignored: the content decides the extension.
      const res = await upload(imageForm(GIF, 'picture.jpg', 'image/jpeg'));
      assert.equal(res.status, 200);
      assert.match(res.body.image, /\.gif$/);
      assert.equal(existsSync(path.join(app.config.uploadDir, old)), false);
      assert.equal(existsSync(path.join(app.config.uploadDir, res.body.image)), true);
    });

    it('when the content is not an image, then 415 even with a .png name', async () => {
      const res = await upload(imageForm(Buffer.from('just some text, honestly'), 'fake.png', 'image/png'));
      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
      const pdf = await upload(imageForm(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'doc.png', 'image/png'));
      assert.equal(pdf.status, 415);
    });

    it('when the file is over 5 MB, then 413', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      const res = await upload(imageForm(big, 'big.png', 'image/png'));
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, 'PAYLOAD_TOO_LARGE');
    });

    it('when no file is sent or the product is missing, then 400 or 404', async () => {
      const form = new FormData();
      form.append('note', 'no file');
      assert.equal((await upload(form)).status, 400);
      assert.equal((await upload(imageForm(PNG, 'a.png', 'image/png'), staff, 999999)).status, 404);
      assert.equal((await upload(imageForm(PNG, 'a.png', 'image/png'), viewer)).status, 403);
    });
  });

  describe('access', () => {
    it('when a viewer creates or staff deletes, then 403', async () => {
      const id = (await create({ name: 'Guarded' })).body.id;
      assert.equal((await create({ name: 'Nope' }, viewer)).status, 403);
      assert.equal((await app.http('PUT', `/api/products/${id}`, { token: viewer, body: { name: 'x' } })).status, 403);
      assert.equal((await app.http('DELETE', `/api/products/${id}`, { token: staff })).status, 403);
      assert.equal((await app.http('POST', `/api/products/${id}/adjust-stock`, { token: viewer, body: { delta: 1, reason: 'count' } })).status, 403);
      assert.equal((await app.http('GET', '/api/products', { token: viewer })).status, 200);
      assert.equal((await app.http('GET', `/api/products/${id}/movements`, { token: viewer })).status, 200);
    });
  });

  describe('shoppers and anonymous callers', () => {
    it('when a customer, a retailer or nobody lists products, then they get the active catalogue at the price for their role', async () => {
      const retailer = (await app.userWithRole('retailer')).token;
      const tagged = `Shop${Date.now()}`;
      const trade = (await create({ name: `${tagged} Trade Drill`, price: 100, costPrice: 60, targetRole: 'retailer', discountPercent: 10, stock: 4 })).body;
      const gone = (await create({ name: `${tagged} Old Drill`, price: 50, stock: 2 })).body;
      const sold = await app.http('POST', '/api/sales', { token: staff, body: { items: [{ productId: gone.id, quantity: 1 }] } });
      assert.equal(sold.status, 201);
      assert.equal((await app.http('DELETE', `/api/products/${gone.id}`, { token: manager })).status, 200, 'archived (it has a sale)');

      for (const [who, token, price] of [['customer', customer, 100], ['retailer', retailer, 90], ['anonymous', undefined, 100]] as const) {
        const list = await app.http('GET', `/api/products?search=${tagged}`, { token });
        assert.equal(list.status, 200, who);
        assert.deepEqual(list.body.data.map((p: { name: string }) => p.name), [`${tagged} Trade Drill`], `${who}: active products only`);
        const [item] = list.body.data;
        assert.equal(item.price, price, `${who}: the price for their role`);
        assert.equal(item.costPrice, undefined, `${who}: no cost price`);
        assert.equal(item.supplier, undefined, `${who}: no supplier`);
        const archived = await app.http('GET', `/api/products?search=${tagged}&includeArchived=true`, { token });
        assert.equal(archived.body.total, 1, `${who}: includeArchived is a back-office filter`);
        assert.equal((await app.http('GET', `/api/products/${trade.id}`, { token })).body.price, price);
        assert.equal((await app.http('GET', `/api/products/${gone.id}`, { token })).status, 404, `${who}: an archived product is not there`);
      }
      const staffView = await app.http('GET', `/api/products/${gone.id}`, { token: staff });
      assert.equal(staffView.status, 200);
      assert.ok(staffView.body.archivedAt, 'the back office still sees the archived record');
      assert.equal((await app.http('GET', '/api/products?sort=-rating', { token: customer })).status, 200);
      assert.equal((await app.http('GET', '/api/products?sort=-rating', { token: staff })).status, 400);
    });
  });
});
