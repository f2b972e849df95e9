import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';
import { daysAgo } from '../helpers/reporting-fixtures.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { recordAudit } from '../../src/modules/audit/audit.service.js';
import type { User } from '../../src/modules/users/user.model.js';

/** Parses our CSV (quoted cells, no embedded newlines in these fixtures). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe('GET /api/audit-logs', () => {
  let app: TestApp;
  let staffUser: User;
  let staff: string;
  const BULK = 1201;

  before(async () => {
    app = await startTestApp();
    const created = await app.userWithRole('staff', { name: 'Sam Staff' });
    staffUser = created.user;
    staff = created.token;
    await AuditLog.bulkCreate(
      Array.from({ length: BULK }, (_, i) => ({ userId: null, action: 'import.row', entityType: 'import', entityId: String(i), createdAt: daysAgo(60), updatedAt: daysAgo(60) })),
    );
    await AuditLog.create({ userId: staffUser.id, action: 'product.update', entityType: 'product', entityId: '42', changes: { price: { from: 1, to: 2 } }, ip: '10.0.0.1', createdAt: daysAgo(10), updatedAt: daysAgo(10) });
    await AuditLog.create({ userId: staffUser.id, action: 'stock.adjust', entityType: 'product', entityId: '=HYPERLINK("x")', changes: { delta: -2 }, createdAt: daysAgo(5), updatedAt: daysAgo(5) });
    await recordAudit({ userId: staffUser.id, action: 'product.create', entityType: 'product', entityId: 43, changes: { name: 'Lamp', password: 'nope' } });
    const put = await app.http('PUT', '/api/settings', { token: app.adminToken, body: { companyName: 'Audit Co' } });
    assert.equal(put.status, 200);
  });
  after(() => app.close());

  it('when the admin lists, then entries come newest first with who did them, in the list shape', async () => {
    const res = await app.http('GET', '/api/audit-logs?limit=3', { token: app.adminToken });
    assert.equal(res.status, 200);
    assert.equal(res.body.total, BULK + 4 + 1);
    assert.equal(res.body.limit, 3);
    const [latest, second] = res.body.data;
    assert.equal(latest.action, 'settings.update');
    assert.deepEqual(latest.changes, { companyName: { from: 'StockPilot Demo Co.', to: 'Audit Co' } });
    assert.equal(latest.user.email, ADMIN.email);
    assert.deepEqual(Object.keys(latest.user).sort(), ['email', 'id', 'name']);
    assert.equal(second.action, 'product.create');
    assert.deepEqual(second.user, { id: staffUser.id, name: 'Sam Staff', email: staffUser.email });
    assert.equal(second.changes.password, '[redacted]');
  });

  it('when filtered by user, action, entity and dates, then only matching entries come back', async () => {
    const get = (qs: string) => app.http('GET', `/api/audit-logs?${qs}`, { token: app.adminToken });
    const byUser = await get(`userId=${staffUser.id}`);
    assert.deepEqual(byUser.body.data.map((l: { action: string }) => l.action), ['product.create', 'stock.adjust', 'product.update']);
    assert.equal((await get('action=stock.adjust')).body.total, 1);
    const entity = await get('entityType=product&entityId=42');
    assert.equal(entity.body.total, 1);
    assert.equal(entity.body.data[0].ip, '10.0.0.1');
    const window = await get(`from=${encodeURIComponent(daysAgo(11).toISOString())}&to=${daysAgo(4).toISOString().slice(0, 10)}`);
    assert.deepEqual(window.body.data.map((l: { action: string }) => l.action), ['stock.adjust', 'product.update']);
    assert.equal((await get('userId=abc')).status, 400);
  });

  it('when exported as CSV, then every matching row streams out in id batches with a header and neutralised formulas', async () => {
    const all = await app.http('GET', '/api/audit-logs/export?format=csv', { token: app.adminToken });
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(all.headers.get('content-disposition') ?? '', /attachment; filename="audit-logs-/);
    const rows = csvRows(all.text);
    assert.deepEqual(rows[0], ['id', 'createdAt', 'userId', 'userEmail', 'action', 'entityType', 'entityId', 'changes', 'ip']);
    assert.equal(rows.length - 1, BULK + 5);
    const ids = rows.slice(1).map((r) => Number(r[0]));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));

    const filtered = await app.http('GET', `/api/audit-logs/export?userId=${staffUser.id}&action=stock.adjust`, { token: app.adminToken });
    const [, row] = csvRows(filtered.text);
    assert.equal(csvRows(filtered.text).length, 2);
    assert.equal(row[3], staffUser.email);
    assert.equal(row[6], `'=HYPERLINK("x")`);
    assert.deepEqual(JSON.parse(row[7]), { delta: -2 });
  });

  it('when anyone but an admin asks, then 403 (staff, manager, viewer, customer) or 401 without a token', async () => {
    for (const role of ['manager', 'viewer', 'customer'] as const) {
      const { token } = await app.userWithRole(role);
      assert.equal((await app.http('GET', '/api/audit-logs', { token })).status, 403, role);
    }
    const denied = await app.http('GET', '/api/audit-logs', { token: staff });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'FORBIDDEN');
    assert.equal((await app.http('GET', '/api/audit-logs/export', { token: staff })).status, 403);
    assert.equal((await app.http('GET', '/api/audit-logs')).status, 401);
  });
});
