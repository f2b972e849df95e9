import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { privateMariadbMissing, startPrivateMariadb, type PrivateMariadb } from '../helpers/private-mariadb.js';

/**
 * The app against a MariaDB server of its own that is frozen (SIGSTOP: the
 * sockets stay open, nothing answers), then thawed, then killed and started
 * again. The app runs with its default timeouts; the measured times are
 * printed with the results.
 */

const missing = privateMariadbMissing();
if (missing) console.log(`database outage test skipped: ${missing}`);

// This file brings its own server: never a database on the shared TEST_DATABASE_URL one.
delete process.env.TEST_DATABASE_URL;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - started), result };
}

describe('a database outage fails fast and heals by itself', { skip: missing }, () => {
  let mariadb: PrivateMariadb;
  let app: TestApp;
  let productId: number;
  const timings: Record<string, number> = {};

  before(async () => {
    mariadb = await startPrivateMariadb();
    app = await startTestApp({ DATABASE_URL: mariadb.url });
    productId = (await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'Outage probe', price: 5, costPrice: 2, stock: 50 } })).body.id;
  });
  after(async () => {
    console.log(`database outage timings (ms): ${JSON.stringify(timings)}`);
    mariadb?.thaw();
    await app?.close().catch(() => undefined);
    await mariadb?.destroy();
  });

  const health = () => app.http('GET', '/api/health');
  const list = () => app.http('GET', '/api/products?limit=5', { token: app.adminToken });
  const sell = () => app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId, quantity: 1 }] } });

  /** Polls until health and a read both answer 200; returns the time it took. */
  async function recovery(): Promise<number> {
    const started = performance.now();
    for (;;) {
      const [h, l] = [await health(), await list()];
      if (h.status === 200 && l.status === 200) return Math.round(performance.now() - started);
      assert.ok(performance.now() - started < 30_000, `not recovered after 30 s: health ${h.status}, list ${l.status} ${l.text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('when the database is up, then health, reads and writes work (and pooled connections exist to go stale)', async () => {
    assert.equal((await health()).status, 200);
    await Promise.all(Array.from({ length: 6 }, () => list()));
    assert.equal((await sell()).status, 201);
  });

  it('when the database is frozen, then health answers 503 within 2 s and requests 503 DB_UNAVAILABLE within a few seconds', async () => {
    mariadb.freeze();
    const h = await timed(health);
    timings.frozenHealth = h.ms;
    assert.equal(h.result.status, 503, h.result.text);
    assert.deepEqual({ status: h.result.body.status, db: h.result.body.db }, { status: 'error', db: 'down' });
    assert.ok(h.ms < 2_000, `health took ${h.ms} ms`);

    // Several at once: pooled (now stalled) connections and new ones alike.
    const calls = await timed(() => Promise.all([list(), sell(), list(), app.http('GET', `/api/products/${productId}`, { token: app.adminToken }), sell()]));
    timings.frozenApiCalls = calls.ms;
    for (const res of calls.result) {
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.error.code, 'DB_UNAVAILABLE');
    }
    assert.ok(calls.ms < 5_000, `API calls took ${calls.ms} ms`);

    const again = await timed(list);
    timings.frozenApiCallLater = again.ms;
    assert.equal(again.result.status, 503, again.result.text);
    assert.ok(again.ms < 5_000, `a later API call took ${again.ms} ms`);
    const h2 = await timed(health);
    timings.frozenHealthLater = h2.ms;
    assert.equal(h2.result.status, 503);
    assert.ok(h2.ms < 2_000, `health took ${h2.ms} ms`);
  });

  it('when the frozen database returns, then the app recovers by itself and nothing was half-written', async () => {
    mariadb.thaw();
    timings.recoveryAfterThaw = await recovery();
    assert.ok(timings.recoveryAfterThaw < 5_000, `recovered after ${timings.recoveryAfterThaw} ms`);
    assert.equal((await sell()).status, 201);
    const product = (await app.http('GET', `/api/products/${productId}`, { token: app.adminToken })).body;
    const movements = (await app.http('GET', `/api/products/${productId}/movements?limit=100`, { token: app.adminToken })).body;
    const ledger = (movements.data as { delta: number }[]).reduce((sum, m) => sum + m.delta, 0);
    assert.equal(product.stock, ledger, 'stock matches its ledger after the outage');
  });

  it('when the database dies under running queries (connection lost mid-query), then they answer 503 DB_UNAVAILABLE at once', async () => {
    mariadb.freeze();
    const running = [timed(list), timed(sell)];
    await new Promise((r) => setTimeout(r, 400));
    const killed = performance.now();
    await mariadb.kill();
    const answers = await Promise.all(running);
    timings.lostMidQueryAfterKill = Math.round(performance.now() - killed);
    for (const { result } of answers) {
      assert.equal(result.status, 503, result.text);
      assert.equal(result.body.error.code, 'DB_UNAVAILABLE');
    }
    assert.ok(timings.lostMidQueryAfterKill < 2_000, `answered ${timings.lostMidQueryAfterKill} ms after the kill`);
  });

  it('when the database is down, then 503 fast; when it is started again, then the app recovers by itself', async () => {
    const h = await timed(health);
    timings.killedHealth = h.ms;
    assert.equal(h.result.status, 503);
    assert.ok(h.ms < 2_000, `health took ${h.ms} ms`);
    const calls = await timed(() => Promise.all([list(), sell()]));
    timings.killedApiCalls = calls.ms;
    for (const res of calls.result) {
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.error.code, 'DB_UNAVAILABLE');
    }
    assert.ok(calls.ms < 5_000, `API calls took ${calls.ms} ms`);

    const restart = await timed(() => mariadb.start());
    timings.mariadbRestart = restart.ms;
    timings.recoveryAfterRestart = await recovery();
    assert.ok(timings.recoveryAfterRestart < 5_000, `recovered after ${timings.recoveryAfterRestart} ms`);
    assert.equal((await sell()).status, 201);
  });
});
