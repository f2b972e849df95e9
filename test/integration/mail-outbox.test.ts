import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedMail } from 'mailparser';
import { ADMIN, freshMysqlDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';
import { recipients, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { eventually } from '../helpers/eventually.js';
import { callApi, startApiChild, stopApiChild } from '../helpers/api-child.js';
import { adjustStock, makeProduct } from '../helpers/reporting-fixtures.js';
import { makeProduct as makeShopProduct } from './storefront-fixtures.js';
import { loadConfig, useConfig } from '../../src/config/index.js';
import { closeDatabase, initDatabase, transaction } from '../../src/db/index.js';
import { checkStockAlerts } from '../../src/modules/inventory/stock-alert.service.js';
import { StockAlert } from '../../src/modules/inventory/stock-alert.model.js';
import { MailOutbox, type MailKind, type MailStatus } from '../../src/modules/mail/mail-outbox.model.js';
import { enqueueMail, retryDelay } from '../../src/modules/mail/outbox.service.js';
import { Product } from '../../src/modules/products/product.model.js';

const subjectHas = (text: string) => (m: ParsedMail) => (m.subject ?? '').includes(text);
const outboxOf = (kind: MailKind, refId: number) => MailOutbox.findAll({ where: { kind, refId }, order: [['id', 'ASC']] });
const alertOf = async (productId: number) => {
  const alerts = await StockAlert.findAll({ where: { productId } });
  assert.equal(alerts.length, 1, 'one alert');
  return alerts[0];
};

/** A new customer asks for a password reset: the user, and their reset mail's outbox row once it is `status`. */
async function askReset(app: TestApp, email: string, status: MailStatus) {
  const { user } = await app.userWithRole('customer', { email });
  assert.equal((await app.http('POST', '/api/auth/forgot-password', { body: { email } })).status, 202);
  const row = await eventually(async () => {
    const [r] = await outboxOf('password_reset', user.id);
    assert.equal(r?.status, status);
    return r;
  });
  return { user, row };
}

/** The outbox went round once more: a mail queued now has arrived, so whatever was due before it has been sent. */
async function outboxRound(smtp: TestSmtp): Promise<void> {
  const subject = `Round ${Math.random().toString(36).slice(2)}`;
  await transaction(() => enqueueMail({ to: 'rounds@test.local', subject, text: 'round' }, { kind: 'order' }));
  await smtp.waitFor(subjectHas(subject));
}

describe('the mail outbox in one instance', () => {
  let app: TestApp;
  let smtp: TestSmtp;

  before(async () => {
    // A slow server: a mail is visibly on its way before the server accepts it.
    smtp = await startSmtp({ delayMs: 300 });
    app = await startTestApp({ SMTP_URL: smtp.url });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  it('when the transaction that raised an alert rolls back, then neither the alert nor its mail exists; raised for real, it is mailed once under the stored Message-ID and turns sent only once the server accepted it', async () => {
    const product = await makeProduct({ name: 'Outbox Alpha', stock: 10, lowStockThreshold: 5 });
    // Low now, without a stock change (so no check runs by itself).
    await Product.update({ lowStockThreshold: 20 }, { where: { id: product.id } });
    await assert.rejects(
      transaction(async () => {
        assert.deepEqual(await checkStockAlerts([product.id]), { raised: 1, resolved: 0 });
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal(await StockAlert.count({ where: { productId: product.id } }), 0);
    assert.equal(await MailOutbox.count({ where: { kind: 'stock_alert' } }), 0);

    const check = await app.http('POST', '/api/stock-alerts/check', { token: app.adminToken });
    assert.deepEqual(check.body, { raised: 1, resolved: 0 });
    const mail = await smtp.waitFor(subjectHas('Outbox Alpha'));
    const alert = await alertOf(product.id);
    const [row] = await outboxOf('stock_alert', alert.id);
    assert.equal(mail.messageId, row.messageId, 'the Message-ID stored at enqueue');
    assert.deepEqual(recipients(mail), [ADMIN.email]);
    // The server has the mail but has not answered yet: the alert is not mailed until it does.
    assert.equal(alert.status, 'pending');
    await eventually(async () => assert.equal((await alertOf(product.id)).status, 'sent'));
    await row.reload();
    assert.deepEqual([row.status, row.attempts, row.text, row.lastError], ['sent', 1, null, null]);
    assert.ok(row.sentAt);

    await outboxRound(smtp);
    assert.equal(smtp.messages.filter((m) => m.messageId === row.messageId).length, 1);
  });

  it('when a password reset is asked, then its mail goes through the outbox and the link is not kept once sent', async () => {
    const { user, row } = await askReset(app, 'outbox-reset@test.local', 'sent');
    const mail = await smtp.waitFor((m) => recipients(m).includes(user.email));
    assert.match(mail.text ?? '', /reset-password\?token=/);
    assert.equal(mail.messageId, row.messageId);
    assert.equal(row.text, null, 'no reset link left in the database');
  });

  it('when an order is placed and shipped, then both mails go through the outbox, each under its own Message-ID', async () => {
    const product = await makeShopProduct({ name: 'Outbox Lamp', stock: 5 });
    const { user, token } = await app.userWithRole('customer', { email: 'outbox-shopper@test.local' });
    assert.equal((await app.http('POST', '/api/cart/items', { token, body: { productId: product.id, quantity: 1 } })).status, 200);
    const placed = await app.http('POST', '/api/orders', { token, body: { deliveryAddress: '1 Mill Lane, Springfield', contactNumber: '+1 555 0101' } });
    assert.equal(placed.status, 201);
    const staff = (await app.userWithRole('staff')).token;
    assert.equal((await app.http('PATCH', `/api/orders/${placed.body.id}/status`, { token: staff, body: { status: 'shipped' } })).status, 200);
    const confirmed = await smtp.waitFor((m) => recipients(m).includes(user.email) && /confirmed/.test(m.subject ?? ''));
    const shipped = await smtp.waitFor((m) => recipients(m).includes(user.email) && /shipped/.test(m.subject ?? ''));
    const rows = await eventually(async () => {
      const sent = await outboxOf('order', placed.body.id);
      assert.deepEqual(sent.map((r) => r.status), ['sent', 'sent']);
      return sent;
    });
    assert.deepEqual(rows.map((r) => r.messageId), [confirmed.messageId, shipped.messageId]);
    assert.notEqual(confirmed.messageId, shipped.messageId);
  });
});

describe('the mail outbox when the mail server is down', () => {
  const RETRY_MS = 100;
  const RETRY_MAX_MS = 400;
  let app: TestApp;
  let smtp: TestSmtp | undefined;
  let port: number;

  before(async () => {
    // A port that refuses connections until the server comes back on it.
    const probe = await startSmtp();
    port = Number(new URL(probe.url).port);
    await probe.close();
    app = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_POLL_MS: '50', MAIL_RETRY_MS: String(RETRY_MS), MAIL_RETRY_MAX_MS: String(RETRY_MAX_MS) });
  });
  after(async () => {
    await app.close();
    await smtp?.close();
  });

  it('when the alert mail cannot be sent, then it is retried with doubling waits and the alert stays pending; once the server is back it arrives once and the alert turns sent', async () => {
    const product = await makeProduct({ name: 'Outbox Offline', stock: 6, lowStockThreshold: 5 });
    await adjustStock(product.id, -3);
    const alert = await eventually(() => alertOf(product.id));
    // After each failed attempt the row says when it is due again: that wait, per attempt.
    const waits = new Map<number, number>();
    const row = await eventually(async () => {
      const [r] = await outboxOf('stock_alert', alert.id);
      assert.equal(r.status, 'pending');
      if (r.claimedBy === null && r.attempts > 0) waits.set(r.attempts, r.nextAttemptAt.getTime() - r.updatedAt.getTime());
      assert.ok(r.attempts >= 4 && waits.size >= 2, `attempts ${r.attempts}, waits seen ${waits.size}`);
      return r;
    }, 15_000);
    assert.match(row.lastError ?? '', /ECONNREFUSED/);
    for (const [attempt, wait] of waits) {
      const full = Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (attempt - 1));
      assert.ok(wait >= full / 2 - 5 && wait <= full + 5, `attempt ${attempt} waited ${wait} ms (expected ${full / 2}..${full})`);
    }
    assert.equal((await alertOf(product.id)).status, 'pending');

    smtp = await startSmtp({ port });
    const mail = await smtp.waitFor(subjectHas('Outbox Offline'), 10_000);
    assert.equal(mail.messageId, row.messageId);
    await eventually(async () => assert.equal((await alertOf(product.id)).status, 'sent'));
    await outboxRound(smtp);
    assert.equal(smtp.messages.filter(subjectHas('Outbox Offline')).length, 1);
  });

  it('when the backoff is computed, then it doubles from the first wait, stays within half to all of it, and stops at the cap', () => {
    const lowest = (attempt: number) => retryDelay(attempt, 1_000, 60_000, () => 0);
    const highest = (attempt: number) => retryDelay(attempt, 1_000, 60_000, () => 1);
    assert.deepEqual([1, 2, 3, 4].map(highest), [1_000, 2_000, 4_000, 8_000]);
    assert.deepEqual([1, 2, 3, 4].map(lowest), [500, 1_000, 2_000, 4_000]);
    assert.deepEqual([7, 8, 30].map(highest), [60_000, 60_000, 60_000]);
  });
});

describe('the mail outbox when every attempt fails', () => {
  let app: TestApp;
  before(async () => {
    const probe = await startSmtp();
    const url = probe.url;
    await probe.close();
    app = await startTestApp({ SMTP_URL: url, MAIL_POLL_MS: '50', MAIL_RETRY_MS: '50', MAIL_MAX_ATTEMPTS: '2' });
  });
  after(() => app.close());

  it('when the last attempt fails, then the mail is marked failed with its error and never claimed again', async () => {
    const { row } = await askReset(app, 'outbox-failed@test.local', 'failed');
    assert.equal(row.attempts, 2);
    assert.match(row.lastError ?? '', /ECONNREFUSED/);
    await sleep(300);
    await row.reload();
    assert.deepEqual([row.status, row.attempts], ['failed', 2]);
  });
});

describe('the mail outbox without SMTP_URL', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('when a mail is queued, then the worker writes it to DATA_DIR/outbox/ as an .eml file with its Message-ID and marks it sent', async () => {
    const { row } = await askReset(app, 'outbox-file@test.local', 'sent');
    const folder = path.join(app.dataDir, 'outbox');
    const files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const eml = readFileSync(path.join(folder, files[0]), 'utf8');
    assert.ok(eml.includes(`Message-ID: ${row.messageId}`), eml.slice(0, 400));
    assert.match(eml, /To: outbox-file@test\.local/);
  });
});

/**
 * Instances in their own processes on one database (MariaDB: side by side;
 * SQLite is single-node, so "the other instance" is the next start).
 */
describe('the mail outbox across instances', () => {
  const mysql = Boolean(process.env.TEST_DATABASE_URL);
  let dir: string;
  let database: { url: string; drop: () => Promise<void> };
  const children: ChildProcess[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-outbox-'));
    database = mysql ? await freshMysqlDatabase(process.env.TEST_DATABASE_URL!) : { url: `sqlite:${path.join(dir, 'outbox.sqlite')}`, drop: async () => undefined };
  });
  after(async () => {
    await Promise.all(children.map((c) => stopApiChild(c)));
    await closeDatabase();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const api = await startApiChild(database.url, dir, env);
    children.push(api.child);
    return api;
  };
  const exitSignal = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  /** Signs in on `base` and creates a product above its threshold; returns the token and the product id. */
  const productOn = async (base: string, name: string) => {
    const token: string = (await callApi(base, 'POST', '/api/auth/login', undefined, { email: ADMIN.email, password: ADMIN.password })).body.token;
    const created = await callApi(base, 'POST', '/api/products', token, { name, price: 5, stock: 10, lowStockThreshold: 5 });
    assert.equal(created.status, 201);
    return { token, productId: created.body.id as number };
  };
  /** Takes the product below its threshold through `base`; the answer may never come (the instance is killed). */
  const lower = (base: string, token: string, productId: number) =>
    callApi(base, 'POST', `/api/products/${productId}/adjust-stock`, token, { delta: -6, reason: 'count' }).catch(() => null);

  it('when two instances compete over 50 queued mails, then each Message-ID is delivered exactly once and both took a share', { skip: !mysql && 'SQLite is single-node' }, async (t) => {
    const smtp = await startSmtp({ delayMs: 30 });
    try {
      // Polling every 10 ms makes the two instances' claims overlap: without the row locks this fails (duplicates).
      const env = { SMTP_URL: smtp.url, MAIL_POLL_MS: '10' };
      // Both settle before anything is asserted, so one that started is stopped in finally even if the other failed.
      const [a, b] = (await Promise.allSettled([start(env), start(env)])).map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });
      useConfig(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, DATA_DIR: dir, ADMIN_PASSWORD: ADMIN.password, JWT_SECRET: 'x'.repeat(16) + 'y'.repeat(16), SESSION_SECRET: 'y'.repeat(16) + 'x'.repeat(16), LOG_LEVEL: 'silent', BCRYPT_COST: '4' }));
      initDatabase(database.url);
      // Queued in one commit from outside, so neither instance is woken: both find them by polling.
      const queued = await transaction(async () => {
        const rows: MailOutbox[] = [];
        for (let i = 1; i <= 50; i++) rows.push(await enqueueMail({ to: `bulk${i}@test.local`, subject: `Bulk ${i}`, text: `Mail ${i}` }, { kind: 'order', refId: i }));
        return rows;
      });
      const rows = await eventually(async () => {
        const all = await MailOutbox.findAll({ where: { id: queued.map((r) => r.id) } });
        assert.equal(all.filter((r) => r.status === 'sent').length, 50);
        return all;
      }, 30_000);
      const received = smtp.messages.filter(subjectHas('Bulk ')).map((m) => m.messageId);
      assert.equal(received.length, 50, 'no mail twice');
      assert.deepEqual(new Set(received), new Set(queued.map((r) => r.messageId)));
      const byA = rows.filter((r) => r.claimedBy === a.workerId).length;
      const byB = rows.filter((r) => r.claimedBy === b.workerId).length;
      assert.equal(byA + byB, 50);
      assert.ok(byA > 0 && byB > 0, `both instances sent some (a ${byA}, b ${byB})`);
      assert.ok(rows.every((r) => r.attempts === 1), 'no mail was claimed twice');
      t.diagnostic(`50 queued, ${received.length} delivered, ${new Set(received).size} distinct Message-IDs; instance a sent ${byA}, b ${byB}`);
    } finally {
      await Promise.all(children.splice(0).map((c) => stopApiChild(c)));
      await smtp.close();
    }
  });

  it('when the instance that raised an alert is SIGKILLed right after the commit, then the other one mails it exactly once', async (t) => {
    const smtp = await startSmtp();
    try {
      const env = { SMTP_URL: smtp.url, MAIL_POLL_MS: '200' };
      const a = await start({ ...env, KILL_AFTER_MAIL_QUEUED: '1' });
      let b = mysql ? await start(env) : undefined;
      const { token, productId } = await productOn(a.url, 'Crash Omega');
      const died = exitSignal(a.child);
      await lower(a.url, token, productId);
      assert.equal(await died, 'SIGKILL');
      const killedAt = Date.now();
      b ??= await start(env);
      const mail = await smtp.waitFor(subjectHas('Crash Omega'), 60_000);
      const deliveredInMs = Date.now() - killedAt;

      initDatabase(database.url);
      const alert = await eventually(async () => {
        const raised = await alertOf(productId);
        assert.equal(raised.status, 'sent');
        return raised;
      });
      const [row] = await outboxOf('stock_alert', alert.id);
      assert.equal(row.messageId, mail.messageId);
      assert.deepEqual([row.status, row.attempts, row.claimedBy], ['sent', 1, b.workerId], 'never claimed by the killed instance');
      const mails = smtp.messages.filter(subjectHas('Crash Omega')).length;
      assert.equal(mails, 1);
      assert.ok(deliveredInMs < 60_000);
      t.diagnostic(`alerts raised 1, mails sent ${mails}, delivered ${deliveredInMs} ms after the kill (${mysql ? 'by the other running instance' : 'by the next start'})`);
    } finally {
      await Promise.all(children.splice(0).map((c) => stopApiChild(c)));
      await closeDatabase();
      await smtp.close();
    }
  });

  it('when an instance dies in the middle of sending, then after its lease the next one sends the same message (same Message-ID) and marks the alert', async (t) => {
    const held = await startSmtp({ hold: true });
    const smtp = await startSmtp();
    const lease = { MAIL_LEASE_MS: '5000', MAIL_POLL_MS: '100' };
    try {
      const a = await start({ SMTP_URL: held.url, ...lease });
      const { token, productId } = await productOn(a.url, 'Stall Sigma');
      await lower(a.url, token, productId);
      // a's server has the message and never answers: a is mid-send, holding the claim.
      const first = await held.waitFor(subjectHas('Stall Sigma'), 10_000);
      initDatabase(database.url);
      const alert = await alertOf(productId);
      const [claimed] = await outboxOf('stock_alert', alert.id);
      assert.deepEqual([claimed.status, claimed.claimedBy, claimed.attempts], ['pending', a.workerId, 1]);
      const leaseEnd = claimed.claimedUntil!.getTime();
      const died = exitSignal(a.child);
      a.child.kill('SIGKILL');
      await died;

      const b = await start({ SMTP_URL: smtp.url, ...lease });
      const second = await smtp.waitFor(subjectHas('Stall Sigma'), 20_000);
      const arrivedAt = Date.now();
      assert.equal(second.messageId, first.messageId, 'the same message: a receiver that got both drops the second');
      assert.ok(arrivedAt >= leaseEnd, 'not before the lease ended');
      const row = await eventually(async () => {
        const [r] = await outboxOf('stock_alert', alert.id);
        assert.equal(r.status, 'sent');
        return r;
      });
      assert.deepEqual([row.attempts, row.claimedBy], [2, b.workerId]);
      assert.equal((await alertOf(productId)).status, 'sent');
      assert.equal(smtp.messages.filter(subjectHas('Stall Sigma')).length, 1);
      t.diagnostic(`alerts raised 1; copies received 2 (held server 1, live server 1), distinct Message-IDs 1; resent ${arrivedAt - leaseEnd} ms after the lease ended`);
    } finally {
      await Promise.all(children.splice(0).map((c) => stopApiChild(c)));
      await closeDatabase();
      await Promise.all([held.close(), smtp.close()]);
    }
  });
});
