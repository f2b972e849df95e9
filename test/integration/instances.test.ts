import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, useConfig } from '../../src/config/index.js';
import { createLogger, useLogger } from '../../src/shared/logger.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { closeDatabase, initDatabase, selectRows } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrator.js';
import type { Request } from 'express';
import { authenticateAdmin } from '../../src/admin/auth.js';
import { callApi, startApiChild, stopApiChild } from '../helpers/api-child.js';
import { freshMysqlDatabase, startTestApp, ADMIN, type TestApp } from '../helpers/test-app.js';

/** A fresh, empty database (SQLite file, or a new MySQL/MariaDB database on TEST_DATABASE_URL's server). */
async function emptyDatabase(dir: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) return freshMysqlDatabase(process.env.TEST_DATABASE_URL);
  return { url: `sqlite:${path.join(dir, `${name}.sqlite`)}`, drop: async () => undefined };
}

function instanceConfig(databaseUrl: string, dataDir: string) {
  const config = useConfig(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnop',
      SESSION_SECRET: 'test-session-secret-0123456789abcdefghijkl',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      BCRYPT_COST: '4',
    }),
  );
  useLogger(createLogger(config.logLevel));
  return config;
}

async function adminsAndCreations() {
  const [admins] = await selectRows<{ n: number | string }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'");
  const [creations] = await selectRows<{ n: number | string }>("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'user.create'");
  return { admins: Number(admins.n), creations: Number(creations.n) };
}

function rejections(results: PromiseSettledResult<unknown>[]): string[] {
  return results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
}

describe('instances started together on one database', () => {
  let dir: string;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-instances-'));
  });
  afterEach(async () => {
    await closeDatabase();
    await database?.drop();
    database = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when two start-ups run at the same moment on an empty database, then both succeed: the schema is migrated once and there is one admin', async () => {
    database = await emptyDatabase(dir, 'empty');
    const config = instanceConfig(database.url, dir);
    const results = await Promise.allSettled([prepareDatabase(config), prepareDatabase(config)]);
    assert.deepEqual(rejections(results), []);
    const [first, second] = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof prepareDatabase>>>).value);
    const migrations = await selectRows<{ name: string }>('SELECT name FROM schema_migrations');
    assert.deepEqual([first.appliedMigrations.length, second.appliedMigrations.length].sort(), [0, migrations.length], 'one start-up migrated, the other found it done');
    assert.deepEqual([first.adminCreated, second.adminCreated].sort(), [false, true]);
    assert.deepEqual(await adminsAndCreations(), { admins: 1, creations: 1 });
  });

  it('when two start-ups run at the same moment on a migrated database without an admin, then both succeed and there is one admin', async () => {
    database = await emptyDatabase(dir, 'migrated');
    await migrate(initDatabase(database.url));
    const config = instanceConfig(database.url, dir);
    const results = await Promise.allSettled([prepareDatabase(config), prepareDatabase(config)]);
    assert.deepEqual(rejections(results), []);
    assert.deepEqual(await adminsAndCreations(), { admins: 1, creations: 1 });
  });
});

describe('behind a load balancer (TRUST_PROXY)', () => {
  /** Failed logins for one email with X-Forwarded-For `forwarded` (by default: `client` through a balancer at 10.0.0.9). */
  const failedLogins = (app: TestApp, client: string, times: number, forwarded = `${client}, 10.0.0.9`) =>
    Promise.all(
      Array.from({ length: times }, () =>
        app.http('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'wrong-password' }, headers: { 'x-forwarded-for': forwarded } }),
      ),
    ).then((responses) => responses.map((r) => r.status));

  it('when two proxy hops are trusted, then each client behind them has its own login limit', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT: '2', TRUST_PROXY: '2' });
    try {
      assert.deepEqual((await failedLogins(app, '203.0.113.1', 3)).sort(), [401, 401, 429]);
      assert.deepEqual(await failedLogins(app, '203.0.113.2', 2), [401, 401], 'another client is not limited by the first');
    } finally {
      await app.close();
    }
  });

  it('when the balancer is trusted by address (TRUST_PROXY list), then clients are told apart the same way', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT: '2', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    try {
      assert.deepEqual((await failedLogins(app, '203.0.113.1', 3)).sort(), [401, 401, 429]);
      assert.deepEqual(await failedLogins(app, '203.0.113.2', 2), [401, 401]);
    } finally {
      await app.close();
    }
  });

  it('when no proxy is trusted, then X-Forwarded-For is ignored and cannot buy more attempts', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT: '2', TRUST_PROXY: 'false' });
    try {
      assert.deepEqual((await failedLogins(app, '203.0.113.1', 2, '203.0.113.1')).sort(), [401, 401]);
      assert.deepEqual(await failedLogins(app, '203.0.113.2', 1, '203.0.113.2'), [429]);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits shared by two instances on one database', () => {
  /** `times` failed logins at once, alternating between the instances, all from one client for one email. */
  const failedLogins = (apps: TestApp[], times: number) =>
    Promise.all(
      Array.from({ length: times }, (_, i) => apps[i % apps.length].http('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'wrong-password' } })),
    ).then((responses) => responses.map((r) => r.status));

  const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

  for (const store of ['database', 'redis'] as const) {
    it(`when 20 failed logins at once are spread over two instances (${store} store), then the limit of 10 holds across them`, async () => {
      const env = { AUTH_RATE_LIMIT: '10', ...(store === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `sp-test-${process.pid}-${Date.now()}:` } : {}) };
      const first = await startTestApp(env);
      const second = await startTestApp(env, { sameDatabaseAs: first });
      try {
        const statuses = await failedLogins([first, second], 20);
        assert.deepEqual({ refused: count(statuses, 401), limited: count(statuses, 429) }, { refused: 10, limited: 10 });
        // The next attempt on either instance is limited too, and other limiters are not spent by these.
        assert.equal((await failedLogins([second], 1))[0], 429);
        assert.equal((await first.http('POST', '/api/auth/forgot-password', { body: { email: ADMIN.email } })).status, 202);
      } finally {
        await second.close();
        await first.close();
      }
    });
  }

  it('when the AI budget is spent across two instances and panel sign-ins fail, then both are counted in the shared table under their own names', async () => {
    const first = await startTestApp({ AUTH_RATE_LIMIT: '2', AI_RATE_LIMIT: '2' });
    const second = await startTestApp({ AUTH_RATE_LIMIT: '2', AI_RATE_LIMIT: '2' }, { sameDatabaseAs: first });
    try {
      const staff = await first.userWithRole('staff');
      const ask = (app: TestApp) => app.http('POST', '/api/ai/query', { token: staff.token, body: { question: 'sales today' } }).then((r) => r.status);
      assert.deepEqual([await ask(first), await ask(second), await ask(first)], [200, 200, 429]);

      const req = { ip: '203.0.113.9' } as Request;
      assert.equal(await authenticateAdmin(ADMIN.email, 'wrong-password', { req }), null);
      assert.equal(await authenticateAdmin(ADMIN.email, 'wrong-password', { req }), null);
      await assert.rejects(authenticateAdmin(ADMIN.email, ADMIN.password, { req }), /tooManyRequests/);
      // Both counters live in the table every instance reads, under their own names.
      const rows = await selectRows<{ key: string; hits: number | string }>("SELECT `key`, hits FROM rate_limits WHERE `key` LIKE 'ai-budget:%' OR `key` LIKE 'panel-sign-in:%' ORDER BY `key`");
      assert.deepEqual(rows.map((r) => [r.key, Number(r.hits)]), [[`ai-budget:user:${staff.user.id}`, 3], ['panel-sign-in:203.0.113.9', 2]]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('two instances in their own processes on one database', () => {
  it('when a user logs out through one, then that one refuses the token at once and the other within a second', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-logout-'));
    const database = await emptyDatabase(dir, 'logout');
    const a = await startApiChild(database.url, dir);
    const b = await startApiChild(database.url, dir);
    try {
      const signIn = await callApi(a.url, 'POST', '/api/auth/login', undefined, { email: ADMIN.email, password: ADMIN.password });
      const token: string = signIn.body.token;
      // Both have just checked (and may keep) the token's user.
      assert.equal((await callApi(a.url, 'GET', '/api/auth/me', token)).status, 200);
      assert.equal((await callApi(b.url, 'GET', '/api/auth/me', token)).status, 200);
      assert.equal((await callApi(a.url, 'POST', '/api/auth/logout', token)).status, 204);
      assert.equal((await callApi(a.url, 'GET', '/api/auth/me', token)).status, 401, 'refused at once where the logout ran');
      // b's check of the token's user was made before the logout: a second later it is read again.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal((await callApi(b.url, 'GET', '/api/auth/me', token)).status, 401, 'refused a second later on the other instance');
    } finally {
      await Promise.all([stopApiChild(a.child), stopApiChild(b.child)]);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const store of ['database', 'redis'] as const) {
    it(`when a product is written through one, then the very next list and dashboard read on the other sees it (${store})`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-two-'));
      const database = await emptyDatabase(dir, 'two');
      const env: Record<string, string> = store === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `sp-test-${process.pid}-${Date.now()}:` } : {};
      // On MySQL/MariaDB started at the same moment on the empty database (SQLite is single-node: one after the other).
      const start = () => startApiChild(database.url, dir, env);
      const [a, b] = process.env.TEST_DATABASE_URL ? await Promise.all([start(), start()]) : [await start(), await start()];
      try {
        const signIn = await callApi(a.url, 'POST', '/api/auth/login', undefined, { email: ADMIN.email, password: ADMIN.password });
        assert.equal(signIn.status, 200);
        const token: string = signIn.body.token;
        const names = async (base: string) => (await callApi(base, 'GET', '/api/products?limit=100', token)).body.data.map((p: { name: string }) => p.name);
        const productCount = async (base: string) => (await callApi(base, 'GET', '/api/dashboard/stats', token)).body.totalProducts;

        // b caches its list and figures; a token from a works on b.
        assert.deepEqual(await names(b.url), []);
        assert.equal(await productCount(b.url), 0);
        for (let i = 1; i <= 3; i++) {
          const created = await callApi(a.url, 'POST', '/api/products', token, { name: `Lamp ${i}`, price: 10 + i });
          assert.equal(created.status, 201);
          assert.ok((await names(b.url)).includes(`Lamp ${i}`), `b lists Lamp ${i} right after a created it`);
          assert.equal(await productCount(b.url), i);
          const renamed = await callApi(b.url, 'PUT', `/api/products/${created.body.id}`, token, { name: `Desk lamp ${i}` });
          assert.equal(renamed.status, 200);
          assert.ok((await names(a.url)).includes(`Desk lamp ${i}`), `a lists the rename b just made`);
        }
      } finally {
        await Promise.all([stopApiChild(a.child), stopApiChild(b.child)]);
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
