import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';
import { recipients, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { adjustStock, makeProduct } from '../helpers/reporting-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { Product } from '../../src/modules/products/product.model.js';
import { StockAlert } from '../../src/modules/inventory/stock-alert.model.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { MailOutbox } from '../../src/modules/mail/mail-outbox.model.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import { transaction } from '../../src/db/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const alertsOf = (productId: number) => StockAlert.findAll({ where: { productId }, order: [['id', 'ASC']] });

describe('stock alerts', () => {
  let app: TestApp;
  let smtp: TestSmtp;
  let staff: string;
  let viewer: string;
  const mailsAbout = (name: string) => smtp.messages.filter((m) => (m.subject ?? '').includes(name));

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ SMTP_URL: smtp.url });
    staff = (await app.userWithRole('staff')).token;
    viewer = (await app.userWithRole('viewer')).token;
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  it('when stock falls to the threshold, then one alert is raised and emailed to the admins; another drop adds nothing; a restock resolves it', async () => {
    const product = await makeProduct({ name: 'Widget Alpha', stock: 10, lowStockThreshold: 5 });
    await sleep(200);
    assert.equal((await alertsOf(product.id)).length, 0);

    await adjustStock(product.id, -5);
    const mail = await smtp.waitFor((m) => (m.subject ?? '').includes('Widget Alpha'));
    assert.deepEqual(recipients(mail), [ADMIN.email]);
    assert.match(mail.text ?? '', /Widget Alpha \(SKU .+\) is down to 5 pcs, at or below its low-stock threshold of 5/);
    const sent = await eventually(async () => {
      const res = await app.http('GET', `/api/stock-alerts?status=sent&productId=${product.id}`, { token: viewer });
      assert.equal(res.body.total, 1);
      assert.equal(res.body.data.length, 1);
      return res.body.data[0];
    });
    assert.equal(sent.stockAtAlert, 5);
    assert.equal(sent.threshold, 5);
    assert.ok(sent.sentAt);
    assert.deepEqual(sent.product, { id: product.id, sku: product.sku, name: 'Widget Alpha', stock: 5 });

    await adjustStock(product.id, -2);
    await sleep(300);
    const check = await app.http('POST', '/api/stock-alerts/check', { token: staff });
    assert.deepEqual(check.body, { raised: 0, resolved: 0 });
    assert.equal((await alertsOf(product.id)).length, 1);
    assert.equal(mailsAbout('Widget Alpha').length, 1);

    await adjustStock(product.id, 20);
    const resolved = await eventually(async () => {
      const [alert] = await alertsOf(product.id);
      assert.equal(alert.status, 'resolved');
      return alert;
    });
    assert.ok(resolved.resolvedAt);

    await adjustStock(product.id, -20);
    await eventually(async () => assert.equal(mailsAbout('Widget Alpha').length, 2));
    await eventually(async () => assert.deepEqual((await alertsOf(product.id)).map((a) => a.status), ['resolved', 'sent']));
  });

  it('when a stock change takes a product to its threshold, then the alert and its queued mail are written in that change: gone if it rolls back, there the moment it answers', async () => {
    const product = await makeProduct({ name: 'Widget Atomic', stock: 10, lowStockThreshold: 5 });
    const queuedFor = async (productId: number) => {
      const alerts = await alertsOf(productId);
      const mails = await MailOutbox.count({ where: { kind: 'stock_alert', refId: alerts.map((a) => a.id) } });
      return { alerts: alerts.length, mails };
    };
    await assert.rejects(
      transaction(async () => {
        await applyStockChanges([{ productId: product.id, delta: -6 }], { reason: 'adjustment', adjustmentReason: 'count' });
        assert.deepEqual(await queuedFor(product.id), { alerts: 1, mails: 1 }, 'raised and queued inside the change');
        throw new Error('undo the change');
      }),
      /undo the change/,
    );
    assert.deepEqual(await queuedFor(product.id), { alerts: 0, mails: 0 });
    assert.equal((await Product.findByPk(product.id))!.stock, 10);

    // Nothing runs after the answer: a process killed right then has already committed both.
    const res = await app.http('POST', `/api/products/${product.id}/adjust-stock`, { token: staff, body: { delta: -6, reason: 'count' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await queuedFor(product.id), { alerts: 1, mails: 1 });
    await smtp.waitFor((m) => (m.subject ?? '').includes('Widget Atomic'));
  });

  it('when a sale takes a product without a threshold of its own to the shop default, then the default in force decides (raised, then resolved after it is lowered)', async () => {
    const product = await makeProduct({ name: 'Default Epsilon', stock: 12 });
    const sell = async () => {
      const res = await app.http('POST', '/api/sales', { token: staff, body: { items: [{ productId: product.id, quantity: 1 }] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    try {
      assert.equal((await app.http('PUT', '/api/settings', { token: app.adminToken, body: { lowStockThreshold: 11 } })).status, 200);
      assert.equal((await alertsOf(product.id)).length, 0);
      await sell();
      const [raised] = await alertsOf(product.id);
      assert.ok(['pending', 'sent'].includes(raised?.status), 'open, raised by the sale itself before it answered');
      assert.equal(raised.threshold, 11);
      assert.equal(raised.stockAtAlert, 11);
      assert.equal((await app.http('PUT', '/api/settings', { token: app.adminToken, body: { lowStockThreshold: 3 } })).status, 200);
      assert.equal((await alertsOf(product.id)).filter((a) => a.status !== 'resolved').length, 1, 'still open after the default changed');
      await sell();
      assert.deepEqual((await alertsOf(product.id)).map((a) => a.status), ['resolved']);
    } finally {
      await app.http('PUT', '/api/settings', { token: app.adminToken, body: { lowStockThreshold: 10 } });
    }
  });

  it('when many stock changes and re-scans race on one product, then exactly one alert is open', async () => {
    const product = await makeProduct({ name: 'Race Beta', stock: 10, lowStockThreshold: 5 });
    await Promise.all([
      ...Array.from({ length: 8 }, () => adjustStock(product.id, -1)),
      ...Array.from({ length: 5 }, () => app.http('POST', '/api/stock-alerts/check', { token: staff })),
    ]);
    await Promise.all(Array.from({ length: 5 }, () => app.http('POST', '/api/stock-alerts/check', { token: staff })));
    await eventually(async () => assert.equal(mailsAbout('Race Beta').length, 1));
    await sleep(300);
    const alerts = await eventually(async () => {
      const rows = await alertsOf(product.id);
      assert.deepEqual(rows.map((a) => a.status), ['sent']);
      return rows;
    });
    assert.equal(alerts.length, 1);
    assert.equal(mailsAbout('Race Beta').length, 1);
  });

  it('when a threshold changes without a stock change, then POST /check raises and later resolves', async () => {
    const product = await makeProduct({ name: 'Quiet Gamma', stock: 8, lowStockThreshold: 3 });
    await sleep(200);
    await Product.update({ lowStockThreshold: 10 }, { where: { id: product.id } });
    const raised = await app.http('POST', '/api/stock-alerts/check', { token: staff });
    assert.equal(raised.status, 200);
    assert.deepEqual(raised.body, { raised: 1, resolved: 0 });
    await smtp.waitFor((m) => (m.subject ?? '').includes('Quiet Gamma'));

    await Product.update({ lowStockThreshold: 2 }, { where: { id: product.id } });
    const resolved = await app.http('POST', '/api/stock-alerts/check', { token: app.adminToken });
    assert.deepEqual(resolved.body, { raised: 0, resolved: 1 });
    assert.deepEqual((await alertsOf(product.id)).map((a) => a.status), ['resolved']);
  });

  it('when an alert is resolved by hand, then 200 with the alert; again 409; unknown 404; and it is audit-logged', async () => {
    const product = await makeProduct({ name: 'Manual Delta', stock: 1, lowStockThreshold: 5 });
    const alert = await eventually(async () => {
      const [open] = await alertsOf(product.id);
      assert.ok(open);
      return open;
    });
    const res = await app.http('POST', `/api/stock-alerts/${alert.id}/resolve`, { token: staff });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'resolved');
    assert.ok(res.body.resolvedAt);
    assert.equal(res.body.product.name, 'Manual Delta');
    const again = await app.http('POST', `/api/stock-alerts/${alert.id}/resolve`, { token: staff });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'CONFLICT');
    assert.equal((await app.http('POST', '/api/stock-alerts/999999/resolve', { token: staff })).status, 404);
    assert.equal(await AuditLog.count({ where: { action: 'stock_alert.resolve', entityId: String(alert.id) } }), 1);
  });

  it('when listing, then the status filter applies and the list shape is kept', async () => {
    const resolved = await app.http('GET', '/api/stock-alerts?status=resolved&limit=100', { token: viewer });
    assert.equal(resolved.status, 200);
    assert.ok(resolved.body.total >= 3);
    assert.ok(resolved.body.data.every((a: { status: string }) => a.status === 'resolved'));
    const all = await app.http('GET', '/api/stock-alerts?limit=2', { token: viewer });
    assert.equal(all.body.limit, 2);
    assert.equal(all.body.data.length, 2);
    assert.ok(all.body.data[0].id > all.body.data[1].id);
    assert.equal((await app.http('GET', '/api/stock-alerts?status=open', { token: viewer })).status, 400);
  });

  it('when an alert email is set in settings, then alerts go there instead of to the admins', async () => {
    await app.http('PUT', '/api/settings', { token: app.adminToken, body: { alertEmail: 'alerts@shop.test' } });
    const product = await makeProduct({ name: 'Routed Epsilon', stock: 6, lowStockThreshold: 5 });
    await adjustStock(product.id, -1);
    const mail = await smtp.waitFor((m) => (m.subject ?? '').includes('Routed Epsilon'));
    assert.deepEqual(recipients(mail), ['alerts@shop.test']);
  });

  it('when roles are checked, then viewers read but cannot resolve or re-scan; customers 403; no token 401', async () => {
    const customer = (await app.userWithRole('customer')).token;
    assert.equal((await app.http('POST', '/api/stock-alerts/check', { token: viewer })).status, 403);
    assert.equal((await app.http('POST', '/api/stock-alerts/1/resolve', { token: viewer })).status, 403);
    assert.equal((await app.http('GET', '/api/stock-alerts', { token: customer })).status, 403);
    assert.equal((await app.http('GET', '/api/stock-alerts')).status, 401);
    assert.equal((await app.http('POST', '/api/stock-alerts/check')).status, 401);
  });
});

describe('stock alerts when mail delivery fails', () => {
  let app: TestApp;

  before(async () => {
    // A port that refuses connections: grab a free one and close it again.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    app = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  after(() => app.close());

  it('when the SMTP server is down, then the stock change still succeeds and the alert stays pending', async () => {
    const product = await makeProduct({ name: 'Offline Zeta', stock: 6, lowStockThreshold: 5 });
    await adjustStock(product.id, -3);
    assert.equal((await Product.findByPk(product.id))!.stock, 3);
    const [alert] = await eventually(async () => {
      const alerts = await alertsOf(product.id);
      assert.equal(alerts.length, 1);
      return alerts;
    });
    await sleep(500);
    await alert.reload();
    assert.equal(alert.status, 'pending');
    assert.equal(alert.sentAt, null);
  });
});
