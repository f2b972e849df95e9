import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { User } from '../../src/modules/users/user.model.js';

function assertNoSecrets(text: string) {
  for (const leak of ['passwordHash', 'password_hash', 'resetToken', 'reset_token', 'tokenVersion', '$2b$']) {
    assert.equal(text.includes(leak), false, `response leaks ${leak}`);
  }
}

describe('users (admin)', () => {
  let app: TestApp;
  let adminId: number;
  before(async () => {
    app = await startTestApp();
    adminId = (await User.findOne({ where: { email: ADMIN.email } }))!.id;
  });
  after(() => app.close());

  const create = (body: Record<string, unknown>, token = app.adminToken) => app.http('POST', '/api/users', { token, body });

  describe('access', () => {
    it('when no token is sent, then 401', async () => {
      assert.equal((await app.http('GET', '/api/users')).status, 401);
      assert.equal((await app.http('POST', '/api/users', { body: { name: 'x' } })).status, 401);
    });

    for (const role of ['manager', 'staff', 'viewer', 'customer', 'retailer'] as const) {
      it(`when a ${role} calls /api/users, then 403 FORBIDDEN`, async () => {
        const { token, user } = await app.userWithRole(role);
        const list = await app.http('GET', '/api/users', { token });
        assert.equal(list.status, 403);
        assert.equal(list.body.error.code, 'FORBIDDEN');
        assert.equal((await create({ name: 'Sneaky', email: `sneaky-${role}@example.com`, password: 'password-123', role: 'admin' }, token)).status, 403);
        assert.equal((await app.http('PUT', `/api/users/${user.id}`, { token, body: { role: 'admin' } })).status, 403);
        assert.equal((await app.http('DELETE', `/api/users/${adminId}`, { token })).status, 403);
      });
    }
  });

  describe('CRUD', () => {
    it('when the admin creates a user, then 201 with the role and no secrets', async () => {
      const res = await create({ name: 'Sam Staff', email: 'Sam@Example.com', password: 'password-123', role: 'staff' });
      assert.equal(res.status, 201);
      assert.equal(res.body.email, 'sam@example.com');
      assert.equal(res.body.role, 'staff');
      assert.equal(typeof res.body.id, 'number');
      assertNoSecrets(res.text);
      const login = await app.http('POST', '/api/auth/login', { body: { email: 'sam@example.com', password: 'password-123' } });
      assert.equal(login.status, 200);
      assert.equal(login.body.user.role, 'staff');
    });

    it('when the email is taken, then 409 DUPLICATE', async () => {
      await create({ name: 'One', email: 'taken@example.com', password: 'password-123' });
      const res = await create({ name: 'Two', email: 'TAKEN@example.com', password: 'password-123' });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'DUPLICATE');
    });

    it('when the role is unknown or the password short, then 400 with details', async () => {
      const res = await create({ name: 'Bad', email: 'bad@example.com', password: 'short', role: 'owner' });
      assert.equal(res.status, 400);
      const paths = res.body.error.details.map((d: { path: string }) => d.path);
      assert.ok(paths.includes('role'));
      assert.ok(paths.includes('password'));
    });

    it('when the admin lists users, then the list shape without secrets, filterable by role and search', async () => {
      await create({ name: 'Mia Manager', email: 'mia@example.com', password: 'password-123', role: 'manager' });
      const res = await app.http('GET', '/api/users?limit=100', { token: app.adminToken });
      assert.equal(res.status, 200);
      assert.equal(res.body.page, 1);
      assert.equal(res.body.limit, 100);
      assert.equal(res.body.total, res.body.data.length);
      assertNoSecrets(res.text);
      const managers = await app.http('GET', '/api/users?role=manager', { token: app.adminToken });
      assert.ok(managers.body.data.length >= 1);
      assert.ok(managers.body.data.every((u: { role: string }) => u.role === 'manager'));
      const search = await app.http('GET', '/api/users?search=mia', { token: app.adminToken });
      assert.deepEqual(search.body.data.map((u: { email: string }) => u.email), ['mia@example.com']);
      const sorted = await app.http('GET', '/api/users?sort=-email&limit=100', { token: app.adminToken });
      const emails = sorted.body.data.map((u: { email: string }) => u.email);
      assert.deepEqual(emails, [...emails].sort().reverse());
    });

    it('when the sort field is unknown, then 400', async () => {
      const res = await app.http('GET', '/api/users?sort=passwordHash', { token: app.adminToken });
      assert.equal(res.status, 400);
    });

    it('when the admin reads one user, then 200; an unknown id is 404', async () => {
      const created = await create({ name: 'Reader', email: 'reader@example.com', password: 'password-123', role: 'viewer' });
      const res = await app.http('GET', `/api/users/${created.body.id}`, { token: app.adminToken });
      assert.equal(res.status, 200);
      assert.equal(res.body.email, 'reader@example.com');
      assertNoSecrets(res.text);
      assert.equal((await app.http('GET', '/api/users/999999', { token: app.adminToken })).status, 404);
      assert.equal((await app.http('GET', '/api/users/abc', { token: app.adminToken })).status, 400);
    });

    it('when the admin changes a role, then 200, the change is audit-logged and the user gets the new rights', async () => {
      const { user, token } = await app.userWithRole('viewer');
      assert.equal((await app.http('POST', '/api/users', { token, body: {} })).status, 403);
      const res = await app.http('PUT', `/api/users/${user.id}`, { token: app.adminToken, body: { role: 'manager' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.role, 'manager');
      assertNoSecrets(res.text);

      const log = await AuditLog.findOne({ where: { action: 'user.role_change', entityType: 'user', entityId: String(user.id) } });
      assert.ok(log, 'role change is audit-logged');
      assert.equal(log.userId, adminId);
      assert.deepEqual(log.changes?.role, { from: 'viewer', to: 'manager' });
    });

    it('when the admin sets only a password, then the role is kept, the user signs in with it and it is never logged', async () => {
      const { user } = await app.userWithRole('manager');
      const res = await app.http('PUT', `/api/users/${user.id}`, { token: app.adminToken, body: { password: 'admin-set-pass-1' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.role, 'manager');
      const login = await app.http('POST', '/api/auth/login', { body: { email: user.email, password: 'admin-set-pass-1' } });
      assert.equal(login.status, 200);
      const logs = await AuditLog.findAll({ where: { entityType: 'user', entityId: String(user.id) } });
      assert.equal(JSON.stringify(logs.map((l) => l.toJSON())).includes('admin-set-pass-1'), false);
    });

    it('when the admin changes an email to a taken one, then 409', async () => {
      const { user } = await app.userWithRole('staff');
      const res = await app.http('PUT', `/api/users/${user.id}`, { token: app.adminToken, body: { email: ADMIN.email } });
      assert.equal(res.status, 409);
    });

    it('when the update body is empty, then 400', async () => {
      const { user } = await app.userWithRole('staff');
      const res = await app.http('PUT', `/api/users/${user.id}`, { token: app.adminToken, body: {} });
      assert.equal(res.status, 400);
    });

    it('when the admin deletes themselves, then 409 CONFLICT and the account stays', async () => {
      const res = await app.http('DELETE', `/api/users/${adminId}`, { token: app.adminToken });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'CONFLICT');
      assert.ok(await User.findByPk(adminId));
    });

    it('when the admin changes their own role, then 409', async () => {
      const res = await app.http('PUT', `/api/users/${adminId}`, { token: app.adminToken, body: { role: 'viewer' } });
      assert.equal(res.status, 409);
    });

    it('when the admin deletes another user, then 204, the user is gone, their token stops working and it is audit-logged', async () => {
      const { user, token } = await app.userWithRole('staff');
      await app.http('POST', '/api/auth/login', { body: { email: user.email, password: 'password-123' } });
      const res = await app.http('DELETE', `/api/users/${user.id}`, { token: app.adminToken });
      assert.equal(res.status, 204);
      assert.equal((await app.http('GET', `/api/users/${user.id}`, { token: app.adminToken })).status, 404);
      assert.equal((await app.http('GET', '/api/auth/me', { token })).status, 401);
      assert.ok(await AuditLog.findOne({ where: { action: 'user.delete', entityId: String(user.id) } }));
      assert.equal((await app.http('DELETE', `/api/users/${user.id}`, { token: app.adminToken })).status, 404);
    });
  });
});
