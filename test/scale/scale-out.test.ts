import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { eventually } from '../helpers/eventually.js';
import { privateMariadbMissing } from '../helpers/private-mariadb.js';
import { call, type Answer, type CallOptions } from './client.js';
import { haproxyMissing } from './haproxy.js';
import { startLoad } from './load.js';
import { ADMIN, buildAdminBundle, INSTANCE_NAMES, startStack, type InstanceName, type Stack } from './stack.js';

/**
 * Scale-out, end to end: two real server processes (NODE_ENV=production)
 * behind HAProxy on one private MariaDB primary with a replica (report
 * reads), one S3 store and one SMTP server, started at the same moment on the
 * empty database, once with Redis and once with the database stores. Every
 * promise of API.md's "Running more than one instance" that needs more than
 * one process is checked here: on each instance directly and through the
 * balancer (which names the instance that answered in X-Served-By).
 */

const SHUTDOWN_GRACE_MS = 2_000;
const missing = haproxyMissing() ?? privateMariadbMissing();

let adminBundleDir: string;
before(() => {
  // Run on purpose (npm run test:scale, CI): what it needs missing is a failure, not a skip.
  assert.equal(missing, undefined);
  adminBundleDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-scale-bundle-'));
  buildAdminBundle(adminBundleDir);
});
after(() => {
  if (adminBundleDir) rmSync(adminBundleDir, { recursive: true, force: true });
});

for (const scenario of [
  { name: 'with Redis', redis: true },
  { name: 'without Redis (database stores)', redis: false },
]) {
  describe(`two instances behind HAProxy on one MariaDB, ${scenario.name}`, () => {
    let stack: Stack;
    let token: string;
    let started: number;

    /** An instance's own address. */
    const direct = (name: InstanceName) => stack.instances[name].url;
    const balancer = () => stack.balancer.url;
    const signIn = async (base: string) => {
      const answer = await call(base, 'POST', '/api/auth/login', { body: ADMIN });
      assert.equal(answer.status, 200, answer.text);
      return answer.json.token as string;
    };
    /** The same request through the balancer until both instances have answered it (round robin: two or three times). */
    const throughBoth = async (method: string, p: string, options?: CallOptions): Promise<Answer[]> => {
      const answers: Answer[] = [];
      while (!INSTANCE_NAMES.every((n) => answers.some((a) => a.servedBy === n))) {
        assert.ok(answers.length < 6, `only ${answers.map((a) => a.servedBy).join(', ')} answered`);
        answers.push(await call(balancer(), method, p, options));
      }
      return answers;
    };
    /** Statuses of a request sent to each instance directly, then through the balancer to each (by instance). */
    const everywhere = async (method: string, p: string, options?: CallOptions) => {
      const statuses: Record<string, number[]> = {};
      for (const name of INSTANCE_NAMES) statuses[name] = [(await call(direct(name), method, p, options)).status];
      for (const answer of await throughBoth(method, p, options)) statuses[answer.servedBy!].push(answer.status);
      return statuses;
    };
    const allAre = (statuses: Record<string, number[]>, status: number) => Object.values(statuses).every((list) => list.every((s) => s === status));

    before(async () => {
      started = performance.now();
      stack = await startStack({ redis: scenario.redis, adminBundleDir });
    });
    after(async () => {
      await stack?.stop();
      console.log(`${scenario.name}: ${Math.round((performance.now() - started) / 1000)} s`);
    });

    it('when both start at the same moment on the empty database, then both come up: one migrates and seeds under the lock, the other waits and finds it done', async () => {
      const prepared = INSTANCE_NAMES.map((name) => {
        const line = stack.instances[name].output().split('\n').find((l) => l.includes('"msg":"database prepared"'));
        assert.ok(line, `${name} logged no start-up:\n${stack.instances[name].output()}`);
        return JSON.parse(line) as { migrationsApplied: number; adminCreated: boolean; seeded: boolean };
      });
      const conn = await mysql.createConnection(stack.database.url);
      try {
        const [migrations] = await conn.query<mysql.RowDataPacket[]>('SELECT name FROM schema_migrations');
        const [admins] = await conn.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'");
        assert.deepEqual(prepared.map((p) => p.migrationsApplied).sort(), [0, migrations.length]);
        assert.deepEqual(prepared.map((p) => p.adminCreated).sort(), [false, true]);
        assert.deepEqual(prepared.map((p) => p.seeded).sort(), [false, true]);
        assert.equal(Number(admins[0].n), 1);
      } finally {
        await conn.end();
      }
      const ready = await everywhere('GET', '/api/ready');
      assert.ok(allAre(ready, 200), JSON.stringify(ready));
    });

    it('when a token is issued by one instance, then it works on the other, directly and through the balancer', async () => {
      token = await signIn(direct('a'));
      const statuses = await everywhere('GET', '/api/auth/me', { token });
      assert.ok(allAre(statuses, 200), JSON.stringify(statuses));
      assert.equal((await call(direct('b'), 'GET', '/api/auth/me')).status, 401, 'without the token: refused');
    });

    it('when someone signs in to the panel on one instance, then the session cookie works on either', async () => {
      const login = await call(direct('b'), 'POST', '/admin/login', { form: ADMIN });
      assert.equal(login.status, 302, login.text.slice(0, 300));
      assert.equal(login.headers.location, '/admin');
      assert.ok(login.cookie, 'a session cookie');
      const statuses = await everywhere('GET', '/admin/api/resources/products/actions/list', { cookie: login.cookie });
      assert.ok(allAre(statuses, 200), JSON.stringify(statuses));
      // Without it: the sign-in page.
      assert.equal((await call(direct('a'), 'GET', '/admin/api/resources/products/actions/list')).status, 302);
    });

    it('when a user logs out through one instance, then their token stops working there at once and everywhere within a second, their panel session everywhere on the next request', async () => {
      const panel = await call(direct('a'), 'POST', '/admin/login', { form: ADMIN });
      assert.equal(panel.status, 302);
      assert.equal((await call(direct('a'), 'GET', '/api/auth/me', { token })).status, 200, 'a has just checked the token');
      assert.equal((await call(direct('b'), 'POST', '/api/auth/logout', { token })).status, 204);
      assert.equal((await call(direct('b'), 'GET', '/api/auth/me', { token })).status, 401, 'refused at once where the logout ran');
      const panelStatuses = await everywhere('GET', '/admin/api/resources/products/actions/list', { cookie: panel.cookie });
      assert.ok(allAre(panelStatuses, 302), JSON.stringify(panelStatuses));
      // Each instance keeps a token's user for under a second (USER_TTL_MS).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const apiStatuses = await everywhere('GET', '/api/auth/me', { token });
      assert.ok(allAre(apiStatuses, 401), JSON.stringify(apiStatuses));
      token = await signIn(balancer());
    });

    it('when one client fails to sign in 10 times spread over both instances, then its 11th attempt is refused (429) whichever instance answers, and another client is not', async () => {
      // The balancer sees the client's own address and passes it on in X-Forwarded-For (TRUST_PROXY=1 believes one hop).
      const client = { localAddress: '127.0.0.2' };
      const other = { localAddress: '127.0.0.3' };
      const wrong = { email: ADMIN.email, password: 'not-the-password' };
      const fail = (base: string, options: CallOptions) => call(base, 'POST', '/api/auth/login', { body: wrong, ...options });
      const answers: Answer[] = [];
      for (let i = 0; i < 10; i++) answers.push(await fail(i < 6 ? balancer() : direct(INSTANCE_NAMES[i % 2]), client));
      assert.deepEqual(answers.map((a) => a.status), Array(10).fill(401));
      assert.deepEqual([...new Set(answers.slice(0, 6).map((a) => a.servedBy))].sort(), ['a', 'b'], 'both instances counted');

      const limited = await everywhere('POST', '/api/auth/login', { body: wrong, ...client });
      assert.ok(allAre(limited, 429), JSON.stringify(limited));
      // A client-written X-Forwarded-For buys nothing: HAProxy appends the address it saw, and only that hop is believed.
      assert.equal((await fail(balancer(), { ...client, headers: { 'x-forwarded-for': '198.51.100.7' } })).status, 429);
      // The limit is the client's, not the balancer's: another address still gets its own attempts.
      const others = await throughBoth('POST', '/api/auth/login', { body: wrong, ...other });
      assert.deepEqual(others.map((a) => a.status), others.map(() => 401));
    });

    it('when a product is created and sold through one instance, then the very next read on the other sees it (by id, in the list; on the dashboard, which reads the replica, once the replica has the write)', async () => {
      const name = `Scale lamp ${scenario.redis ? 'redis' : 'db'}`;
      const list = (base: string) => call(base, 'GET', `/api/products?search=${encodeURIComponent(name)}`, { token });
      const stats = async (base: string) => (await call(base, 'GET', '/api/dashboard/stats', { token })).json as { totalProducts: number; totalStockUnits: number };
      // b has read (and cached) the list and the figures before the write.
      assert.deepEqual((await list(direct('b'))).json.data, []);
      const bBefore = await stats(direct('b'));

      const created = await call(direct('a'), 'POST', '/api/products', { token, body: { name, price: 25, stock: 40 } });
      assert.equal(created.status, 201, created.text);
      const id = created.json.id as number;
      const byId = await call(direct('b'), 'GET', `/api/products/${id}`, { token });
      assert.equal(byId.status, 200);
      assert.equal(byId.json.stock, 40);
      assert.deepEqual((await list(direct('b'))).json.data.map((p: { id: number }) => p.id), [id]);
      // The figures are a report (DATABASE_READ_URLS): as old as the replica's lag, then fresh on every instance
      // at once, though each had them cached (the shared generation).
      await stack.replicaSet.waitForReplica();
      const bAfter = await stats(direct('b'));
      assert.deepEqual([bAfter.totalProducts - bBefore.totalProducts, bAfter.totalStockUnits - bBefore.totalStockUnits], [1, 40]);

      // And back: a sale through b, seen by a (which has the product and the figures cached).
      assert.equal((await call(direct('a'), 'GET', `/api/products/${id}`, { token })).json.stock, 40);
      const aBefore = await stats(direct('a'));
      const sale = await call(direct('b'), 'POST', '/api/sales', { token, body: { items: [{ productId: id, quantity: 3 }] } });
      assert.equal(sale.status, 201, sale.text);
      assert.equal((await call(direct('a'), 'GET', `/api/products/${id}`, { token })).json.stock, 37);
      await stack.replicaSet.waitForReplica();
      assert.equal((await stats(direct('a'))).totalStockUnits - aBefore.totalStockUnits, -3);
      for (const answer of await throughBoth('GET', `/api/products/${id}`, { token })) assert.equal(answer.json.stock, 37, `through ${answer.servedBy}`);
    });

    it('when an image is uploaded through one instance, then the other serves the same bytes from the object store', async () => {
      const created = await call(direct('a'), 'POST', '/api/products', { token, body: { name: `Scale image ${scenario.redis ? 'redis' : 'db'}`, price: 9, stock: 3 } });
      assert.equal(created.status, 201, created.text);
      // A 1x1 PNG with 64 KiB of trailing bytes, so "the same bytes" means more than a header.
      const png = Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), randomBytes(65_536)]);
      const form = new FormData();
      form.append('image', new Blob([png], { type: 'image/png' }), 'scale.png');
      const uploaded = await fetch(`${direct('a')}/api/products/${created.json.id}/image`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const body = (await uploaded.json()) as { imageUrl: string };
      assert.equal(uploaded.status, 200, JSON.stringify(body));
      assert.match(body.imageUrl, /^\/uploads\//);
      const served = await fetch(`${direct('b')}${body.imageUrl}`);
      assert.equal(served.status, 200);
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(png), 'byte-identical through the other instance');
      assert.ok((await stack.s3.object(stack.bucket, body.imageUrl.slice('/uploads/'.length)))?.equals(png), 'stored in the bucket');
    });

    it('when replication is paused, then a product created through one instance is read by id through the other at once, and a logged-out token is refused at once there and within a second everywhere', async () => {
      await stack.replicaSet.pauseReplication();
      try {
        const created = await call(direct('a'), 'POST', '/api/products', { token, body: { name: `Scale lag ${scenario.redis ? 'redis' : 'db'}`, price: 4, stock: 8 } });
        assert.equal(created.status, 201, created.text);
        const byId = await call(direct('b'), 'GET', `/api/products/${created.json.id}`, { token });
        assert.equal(byId.status, 200, byId.text);
        assert.equal(byId.json.stock, 8);
        const other = await signIn(direct('b'));
        assert.equal((await call(direct('b'), 'POST', '/api/auth/logout', { token: other })).status, 204);
        assert.equal((await call(direct('b'), 'GET', '/api/auth/me', { token: other })).status, 401, 'refused at once where the logout ran');
        // The replica still lags: a second later every instance refuses it, read from the primary.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const statuses = await everywhere('GET', '/api/auth/me', { token: other });
        assert.ok(allAre(statuses, 401), JSON.stringify(statuses));
        // Logging out ends every token of the user, this test's shared one too.
        assert.equal((await call(direct('a'), 'GET', '/api/auth/me', { token })).status, 401);
        token = await signIn(direct('a'));
      } finally {
        await stack.replicaSet.resumeReplication();
      }
      await stack.replicaSet.waitForReplica();
    });

    // The alert and its mail are written in the stock change's transaction, so nothing is left to do after the answer.
    it('when the instance that raised a stock alert is SIGKILLed as soon as it answers, then the alert is mailed exactly once', async () => {
      const name = `Scale alert ${scenario.redis ? 'redis' : 'db'}`;
      const created = await call(direct('a'), 'POST', '/api/products', { token, body: { name, price: 5, stock: 10, lowStockThreshold: 5 } });
      assert.equal(created.status, 201, created.text);
      const productId = created.json.id as number;
      const a = stack.instances.a;
      const adjusted = await call(direct('a'), 'POST', `/api/products/${productId}/adjust-stock`, { token, body: { delta: -6, reason: 'count' } });
      a.kill();
      const killedAt = performance.now();
      assert.ok(adjusted.status < 300, adjusted.text);
      await a.process.exited;
      try {
        await alertMailedOnce();
      } finally {
        await a.start();
        await stack.balancer.waitFor('a', 'UP');
      }
      async function alertMailedOnce() {
      const forAlert = (m: { subject?: string }) => m.subject?.includes(name) ?? false;
      await stack.smtp.waitFor(forAlert, 60_000);
      const deliveredMs = Math.round(performance.now() - killedAt);
      // Marked sent (so no lease is left to run out and no copy can follow).
      const alerts = await eventually(async () => {
        const listed = await call(direct('b'), 'GET', `/api/stock-alerts?productId=${productId}`, { token });
        assert.equal(listed.status, 200, listed.text);
        const rows = listed.json.data as { status: string }[];
        assert.ok(rows.length > 0 && rows.every((r) => r.status === 'sent'), JSON.stringify(rows));
        return rows;
      }, 60_000);
      const mails = stack.smtp.messages.filter(forAlert);
      const messageIds = new Set(mails.map((m) => m.messageId));
      console.log(`alert mail (${scenario.name}): alerts raised ${alerts.length}, mails received ${mails.length}, distinct Message-IDs ${messageIds.size}, delivered ${deliveredMs} ms after the kill`);
      assert.equal(alerts.length, 1);
      assert.equal(mails.length, 1);
      assert.equal(messageIds.size, 1);
      }
    });

    it('when the instances are restarted one after the other under continuous load through the balancer, then no client request fails', async () => {
      const product = await call(balancer(), 'POST', '/api/products', { token, body: { name: `Load counter ${scenario.redis ? 'redis' : 'db'}`, price: 2, stock: 100_000 } });
      assert.equal(product.status, 201, product.text);
      const productId = product.json.id as number;
      const steps = [
        { method: 'GET', path: '/api/products?limit=20', options: { token }, status: 200 },
        { method: 'GET', path: `/api/products/${productId}`, options: { token }, status: 200 },
        { method: 'GET', path: '/api/dashboard/stats', options: { token }, status: 200 },
        { method: 'POST', path: '/api/sales', options: { token, body: { items: [{ productId, quantity: 1 }] } }, status: 201 },
      ];
      const statsBefore = await stack.balancer.stats();
      const load = startLoad(balancer(), steps, { clients: 4, pauseMs: 150 });
      const restarts: string[] = [];
      const restartBoth = async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        for (const name of INSTANCE_NAMES) {
          const instance = stack.instances[name];
          const restartStarted = performance.now();
          // Not ready at once: the balancer takes it out within the grace period, while it still serves.
          const seen = stack.balancer.events().length;
          const [stopped] = await Promise.all([instance.terminate(), stack.balancer.waitFor(name, 'DOWN', SHUTDOWN_GRACE_MS)]);
          // Taken out on its 503, not because it had stopped answering.
          assert.match(stack.balancer.events().slice(seen).join('\n'), new RegExp(`Server stockpilot/${name} is DOWN, reason: Layer7 wrong status, code: 503`));
          assert.equal(stopped.code, 0, instance.output().split('\n').slice(-10).join('\n'));
          assert.ok(stopped.ms < 10_000, `${name} took ${stopped.ms} ms to stop`);
          await instance.start();
          await stack.balancer.waitFor(name, 'UP');
          restarts.push(`${name}: stopped in ${stopped.ms} ms, back in the balancer after ${Math.round(performance.now() - restartStarted)} ms`);
        }
        await new Promise((r) => setTimeout(r, 1_000));
      };
      await restartBoth().catch(async (err: unknown) => {
        await load.stop();
        throw err;
      });
      const result = await load.stop();
      const statsAfter = await stack.balancer.stats();
      const delta = (field: 'requests' | 'retries' | 'redispatched') =>
        Object.fromEntries(statsAfter.map((s) => [s.name, s[field] - statsBefore.find((b) => b.name === s.name)![field]]));
      const perInstance = delta('requests');
      const retried = Object.values(delta('retries')).reduce((a, b) => a + b, 0) + Object.values(delta('redispatched')).reduce((a, b) => a + b, 0);
      const sales = result.succeeded[3];
      const finalStock = (await call(balancer(), 'GET', `/api/products/${productId}`, { token })).json.stock;
      console.log(
        `rolling restart (${scenario.name}): ${result.sent} client requests in ${(result.ms / 1000).toFixed(1)} s, ${result.failures.length} failed; ` +
          `served per instance (HAProxy stats): ${JSON.stringify(perInstance)}, (X-Served-By): ${JSON.stringify(result.servedBy)}; ` +
          `retried or redispatched by HAProxy: ${retried}; sales ${sales}, stock 100000 -> ${finalStock}; ${restarts.join('; ')}`,
      );
      assert.deepEqual(result.failures, [], `HAProxy's view:\n${stack.balancer.events().join('\n')}`);
      assert.ok(INSTANCE_NAMES.every((n) => (result.servedBy[n] ?? 0) > 0));
      // No request even reached an instance that had stopped accepting: the balancer had left it in the grace period.
      assert.equal(retried, 0);
      // Every sale answered 201 was made once (no retried POST made two), and no other.
      assert.equal(finalStock, 100_000 - sales);
    });
  });
}
