import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';
import { recipients, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { User } from '../../src/modules/users/user.model.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A user's JSON must never carry a secret, whatever route returned it. */
function assertNoSecrets(text: string) {
  for (const leak of ['passwordHash', 'password_hash', 'resetToken', 'reset_token', 'tokenVersion', '$2b$']) {
    assert.equal(text.includes(leak), false, `response leaks ${leak}`);
  }
}

describe('auth', () => {
  let app: TestApp;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://shop.test' });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  const register = (email: string, password = 'password-123', name = 'Ada Buyer') =>
    app.http('POST', '/api/auth/register', { body: { name, email, password, phone: '555-0100' } });
  const login = (email: string, password: string) => app.http('POST', '/api/auth/login', { body: { email, password } });

  describe('register', () => {
    it('when a new email registers, then 201 with a token and a customer user without secrets', async () => {
      const res = await register('Ada@Example.com');
      assert.equal(res.status, 201);
      assert.ok(res.body.token);
      assert.equal(res.body.user.email, 'ada@example.com');
      assert.equal(res.body.user.role, 'customer');
      assert.equal(res.body.user.phone, '555-0100');
      assertNoSecrets(res.text);
      const me = await app.http('GET', '/api/auth/me', { token: res.body.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, res.body.user.id);
    });

    it('when the email is already registered (any case), then 409 DUPLICATE', async () => {
      await register('dup@example.com');
      const res = await register('DUP@example.com');
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'DUPLICATE');
    });

    it('when the password is shorter than 8 characters, then 400 naming the password', async () => {
      const res = await register('short@example.com', 'short');
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === 'password'));
    });

    it('when someone registers with a role, then they still become a customer', async () => {
      const res = await app.http('POST', '/api/auth/register', {
        body: { name: 'Eve', email: 'eve@example.com', password: 'password-123', role: 'admin' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.role, 'customer');
    });
  });

  describe('login', () => {
    it('when the credentials are right, then 200 with a token and the user', async () => {
      const res = await login(ADMIN.email, ADMIN.password);
      assert.equal(res.status, 200);
      assert.equal(res.body.user.email, ADMIN.email);
      assertNoSecrets(res.text);
      const me = await app.http('GET', '/api/auth/me', { token: res.body.token });
      assert.equal(me.status, 200);
    });

    it('when the email is unknown or the password wrong, then the same 401 message', async () => {
      const unknown = await login('nobody@example.com', 'password-123');
      const wrong = await login(ADMIN.email, 'wrong-password');
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      assert.equal(unknown.body.error.code, 'UNAUTHENTICATED');
      assert.deepEqual(unknown.body, wrong.body);
    });

    it('when the body is missing fields, then 400', async () => {
      const res = await app.http('POST', '/api/auth/login', { body: { email: ADMIN.email } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    });
  });

  describe('tokens', () => {
    let token: string;
    let userId: number;
    before(async () => {
      const res = await register('tokens@example.com');
      token = res.body.token;
      userId = res.body.user.id;
    });

    it('when no token is sent, then /me answers 401 UNAUTHENTICATED', async () => {
      const res = await app.http('GET', '/api/auth/me');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    });

    it('when the Authorization header is not a bearer token, then 401', async () => {
      const res = await app.http('GET', '/api/auth/me', { headers: { authorization: `Basic ${token}` } });
      assert.equal(res.status, 401);
    });

    it('when the payload is tampered with (role raised to admin), then 401', async () => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`;
      const res = await app.http('GET', '/api/users', { token: forged });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    });

    it('when the signature is changed, then 401', async () => {
      const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      const res = await app.http('GET', '/api/auth/me', { token: flipped });
      assert.equal(res.status, 401);
    });

    it('when the token uses alg none, then 401', async () => {
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, role: 'admin' })}.`;
      const res = await app.http('GET', '/api/auth/me', { token: unsigned });
      assert.equal(res.status, 401);
    });

    it('when the token is signed with HS512 and the right secret, then 401 (HS256 only)', async () => {
      const other = jwt.sign({ sub: String(userId), role: 'customer', tv: 0 }, app.config.jwtSecret, { algorithm: 'HS512', expiresIn: '1h' });
      const res = await app.http('GET', '/api/auth/me', { token: other });
      assert.equal(res.status, 401);
    });

    it('when the token has expired, then 401', async () => {
      const expired = jwt.sign(
        { sub: String(userId), role: 'customer', tv: 0, exp: Math.floor(Date.now() / 1000) - 60 },
        app.config.jwtSecret,
        { algorithm: 'HS256' },
      );
      const res = await app.http('GET', '/api/auth/me', { token: expired });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    });

    it('when a token that was accepted expires, then the next request with it is 401 (a verified token is kept, its expiry checked on each use)', async () => {
      const exp = Math.floor(Date.now() / 1000) + 2;
      const shortLived = jwt.sign({ sub: String(userId), role: 'customer', tv: 0, exp }, app.config.jwtSecret, { algorithm: 'HS256' });
      assert.equal((await app.http('GET', '/api/auth/me', { token: shortLived })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 + 50 - Date.now()));
      const res = await app.http('GET', '/api/auth/me', { token: shortLived });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.message, 'Token expired');
    });

    it('when the token is signed with another secret, then 401', async () => {
      const foreign = jwt.sign({ sub: String(userId), role: 'customer', tv: 0 }, 'another-secret-0123456789abcdefghijklmnop', { algorithm: 'HS256' });
      const res = await app.http('GET', '/api/auth/me', { token: foreign });
      assert.equal(res.status, 401);
    });

    it('when the user logs out, then 204 and every token they held stops working', async () => {
      const second = await login('tokens@example.com', 'password-123');
      assert.equal((await app.http('GET', '/api/auth/me', { token })).status, 200);
      const res = await app.http('POST', '/api/auth/logout', { token });
      assert.equal(res.status, 204);
      assert.equal((await app.http('GET', '/api/auth/me', { token })).status, 401);
      assert.equal((await app.http('GET', '/api/auth/me', { token: second.body.token })).status, 401);
      assert.equal((await app.http('POST', '/api/auth/logout', { token })).status, 401);
      const again = await login('tokens@example.com', 'password-123');
      assert.equal((await app.http('GET', '/api/auth/me', { token: again.body.token })).status, 200);
    });
  });

  describe('me', () => {
    let token: string;
    before(async () => {
      token = (await register('me@example.com')).body.token;
    });

    it('when the profile is updated, then 200 with the new fields', async () => {
      const res = await app.http('PUT', '/api/auth/me', { token, body: { name: 'Grace', address: '1 Main St', phone: null } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.name, 'Grace');
      assert.equal(res.body.user.address, '1 Main St');
      assert.equal(res.body.user.phone, null);
      assertNoSecrets(res.text);
    });

    it('when a user tries to change their own role through /me, then the role stays', async () => {
      const res = await app.http('PUT', '/api/auth/me', { token, body: { role: 'admin' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.role, 'customer');
    });

    it('when the password changes without currentPassword, then 400', async () => {
      const res = await app.http('PUT', '/api/auth/me', { token, body: { password: 'new-password-1' } });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === 'currentPassword'));
    });

    it('when currentPassword is wrong, then 401 and the password is unchanged', async () => {
      const res = await app.http('PUT', '/api/auth/me', { token, body: { password: 'new-password-1', currentPassword: 'nope-nope' } });
      assert.equal(res.status, 401);
      assert.equal((await login('me@example.com', 'password-123')).status, 200);
    });

    it('when the password changes, then a new token works, the old one is revoked and the new password signs in', async () => {
      const res = await app.http('PUT', '/api/auth/me', {
        token,
        body: { password: 'new-password-1', currentPassword: 'password-123' },
      });
      assert.equal(res.status, 200);
      assert.ok(res.body.token);
      assert.equal((await app.http('GET', '/api/auth/me', { token: res.body.token })).status, 200);
      assert.equal((await app.http('GET', '/api/auth/me', { token })).status, 401);
      assert.equal((await login('me@example.com', 'password-123')).status, 401);
      assert.equal((await login('me@example.com', 'new-password-1')).status, 200);
    });
  });

  describe('forgot and reset password', () => {
    const tokenFrom = (text: string | undefined) => {
      const match = /reset-password\?token=([\w-]+)/.exec(text ?? '');
      assert.ok(match, 'the mail contains a reset link');
      return match[1];
    };

    it('when the email is unknown, then 202 and no mail is sent', async () => {
      const before = smtp.messages.length;
      const res = await app.http('POST', '/api/auth/forgot-password', { body: { email: 'ghost@example.com' } });
      assert.equal(res.status, 202);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(smtp.messages.filter((m) => recipients(m).includes('ghost@example.com')).length, 0);
      assert.equal(smtp.messages.length, before);
    });

    it('when the email is known, then 202 with the same body, a mail with a link arrives and the link resets the password once', async () => {
      const { body: registered } = await register('reset@example.com');
      const unknown = await app.http('POST', '/api/auth/forgot-password', { body: { email: 'ghost2@example.com' } });
      const res = await app.http('POST', '/api/auth/forgot-password', { body: { email: 'RESET@example.com' } });
      assert.equal(res.status, 202);
      assert.deepEqual(res.body, unknown.body);

      const mail = await smtp.waitFor((m) => recipients(m).includes('reset@example.com'));
      assert.match(mail.subject ?? '', /reset/i);
      assert.ok(mail.text?.includes('http://shop.test/reset-password?token='));
      const resetToken = tokenFrom(mail.text);

      const stored = await User.findByPk(registered.user.id);
      assert.ok(stored?.resetTokenHash);
      assert.notEqual(stored.resetTokenHash, resetToken, 'only a hash of the token is stored');

      const reset = await app.http('POST', '/api/auth/reset-password', { body: { token: resetToken, password: 'after-reset-1' } });
      assert.equal(reset.status, 204);
      assert.equal((await app.http('GET', '/api/auth/me', { token: registered.token })).status, 401, 'old tokens are revoked');
      assert.equal((await login('reset@example.com', 'password-123')).status, 401);
      assert.equal((await login('reset@example.com', 'after-reset-1')).status, 200);

      const reuse = await app.http('POST', '/api/auth/reset-password', { body: { token: resetToken, password: 'again-reset-2' } });
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error.code, 'BAD_REQUEST');
      assert.equal((await login('reset@example.com', 'after-reset-1')).status, 200);
    });

    it('when the reset token has expired, then 400 and the password is unchanged', async () => {
      const { body: registered } = await register('expired@example.com');
      await app.http('POST', '/api/auth/forgot-password', { body: { email: 'expired@example.com' } });
      const resetToken = tokenFrom((await smtp.waitFor((m) => recipients(m).includes('expired@example.com'))).text);
      await User.update({ resetTokenExpiresAt: new Date(Date.now() - 60_000) }, { where: { id: registered.user.id } });
      const res = await app.http('POST', '/api/auth/reset-password', { body: { token: resetToken, password: 'after-reset-1' } });
      assert.equal(res.status, 400);
      assert.equal((await login('expired@example.com', 'password-123')).status, 200);
    });

    it('when the reset token is unknown, then 400', async () => {
      const res = await app.http('POST', '/api/auth/reset-password', { body: { token: 'x'.repeat(43), password: 'after-reset-1' } });
      assert.equal(res.status, 400);
    });

    it('when the new password is too short, then 400 VALIDATION_FAILED', async () => {
      const res = await app.http('POST', '/api/auth/reset-password', { body: { token: 'x'.repeat(43), password: 'short' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    });
  });

  describe('audit', () => {
    it('when users log in, fail to log in and log out, then each is in audit_logs without secrets', async () => {
      const { body } = await register('audited@example.com');
      const ok = await login('audited@example.com', 'password-123');
      await login('audited@example.com', 'wrong-password');
      await login('stranger@example.com', 'wrong-password');
      await app.http('POST', '/api/auth/logout', { token: ok.body.token });

      const rows = await AuditLog.findAll({ order: [['id', 'ASC']] });
      const mine = rows.filter((r) => r.userId === body.user.id);
      const actions = mine.map((r) => r.action);
      assert.ok(actions.includes('auth.login'));
      assert.ok(actions.includes('auth.login_failed'));
      assert.ok(actions.includes('auth.logout'));
      const stranger = rows.find((r) => r.action === 'auth.login_failed' && r.changes?.email === 'stranger@example.com');
      assert.ok(stranger, 'a failed login for an unknown email is logged');
      assert.equal(stranger.userId, null);
      const serialised = JSON.stringify(rows.map((r) => r.toJSON()));
      assert.equal(serialised.includes('wrong-password'), false);
      assert.equal(serialised.includes('password-123'), false);
      assert.equal(serialised.includes('$2b$'), false);
    });
  });
});

describe('auth rate limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ AUTH_RATE_LIMIT: '3' });
  });
  after(() => app.close());

  it('when login is attempted more than AUTH_RATE_LIMIT times, then 429 RATE_LIMITED in the error shape', async () => {
    const attempts = [];
    for (let i = 0; i < 4; i += 1) attempts.push(await app.http('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'wrong-password' } }));
    assert.deepEqual(attempts.slice(0, 3).map((r) => r.status), [401, 401, 401]);
    assert.equal(attempts[3].status, 429);
    assert.equal(attempts[3].body.error.code, 'RATE_LIMITED');
    assert.equal(typeof attempts[3].body.error.message, 'string');
    const right = await app.http('POST', '/api/auth/login', { body: ADMIN });
    assert.equal(right.status, 429, 'the right password does not bypass the limit');
  });

  it('when forgot-password is asked too often for one email, then 429', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await app.http('POST', '/api/auth/forgot-password', { body: { email: 'someone@example.com' } })).status);
    }
    assert.deepEqual(statuses, [202, 202, 202, 429]);
  });

  it('when one address registers too many accounts, then 429', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await app.http('POST', '/api/auth/register', { body: { name: 'Bot', email: `bot${i}@example.com`, password: 'password-123' } });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 429]);
  });
});

describe('verified tokens and the signing secret', () => {
  it('when the JWT secret changes, then a token accepted under the old secret is refused (the kept verifications are dropped)', async () => {
    const first = await startTestApp();
    const token = first.adminToken;
    try {
      assert.equal((await first.http('GET', '/api/auth/me', { token })).status, 200);
    } finally {
      await first.close();
    }
    // A fresh database whose first admin has the same id and token version: only the signature tells them apart.
    const second = await startTestApp({ JWT_SECRET: 'another-test-jwt-secret-0123456789abcdefgh' });
    try {
      const res = await second.http('GET', '/api/auth/me', { token });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.message, 'Invalid token');
      assert.equal((await second.http('GET', '/api/auth/me', { token: second.adminToken })).status, 200);
    } finally {
      await second.close();
    }
  });
});
