import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';

describe('health and conventions', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('when the database is up, then /api/health answers 200 with the version', async () => {
    const res = await app.http('GET', '/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual({ ...res.body, version: 'x' }, { status: 'ok', db: 'ok', version: 'x' });
    assert.ok(res.headers.get('x-request-id'));
  });

  it('when / is asked for text, then it says the API is running', async () => {
    const res = await app.http('GET', '/', { headers: { accept: 'text/plain' } });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'API is running...');
  });

  it('when an unknown /api route is called, then it answers a JSON 404', async () => {
    const res = await app.http('GET', '/api/nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'NOT_FOUND');
  });

  it('when the JSON body is malformed, then 400 BAD_REQUEST', async () => {
    const res = await app.http('POST', '/api/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'BAD_REQUEST');
  });

  it('when the body exceeds the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await app.http('POST', '/api/auth/login', { body: { email: 'a@b.c', password: 'x'.repeat(2_000_000) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'PAYLOAD_TOO_LARGE');
  });

  it('when the admin signs in, then a token comes back without secrets', async () => {
    const res = await app.http('POST', '/api/auth/login', { body: ADMIN });
    assert.equal(res.status, 200);
    assert.ok(res.body.token);
    assert.equal(res.body.user.role, 'admin');
    assert.equal(res.body.user.passwordHash, undefined);
    assert.equal(res.text.includes('$2b$'), false);
  });
});
