import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { ADMIN, freshMysqlDatabase } from '../helpers/test-app.js';
import { stockInvariantViolations } from '../helpers/trade-fixtures.js';
import { startApiChild } from '../helpers/api-child.js';
import { closeDatabase, db, initDatabase } from '../../src/db/index.js';

type Json = Record<string, any>;
const LINES = 120;

/** The API in a child process on the suite's database, ready when it says so. */
const startApi = (databaseUrl: string, dataDir: string) => startApiChild(databaseUrl, dataDir);

/** SIGKILL while a transfer ships or arrives: after a restart it has moved completely or not at all. */
describe('a transfer when the process is killed', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-kill-'));
  let databaseUrl = `sqlite:${path.join(dataDir, 'kill.sqlite')}`;
  let dropDatabase: (() => Promise<void>) | undefined;
  let api: { child: ChildProcess; url: string };
  let token: string;

  const call = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(api.url + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as Json };
  };
  const restart = async () => {
    api = await startApi(databaseUrl, dataDir);
  };
  const killDuring = async (request: Promise<unknown>, afterMs: number) => {
    const settled = request.catch(() => undefined);
    const exited = new Promise((resolve) => api.child.once('exit', resolve));
    await sleep(afterMs);
    api.child.kill('SIGKILL');
    await exited;
    await settled;
  };
  /** The transfer's ledger rows and lines as they are in the database. */
  const movedFor = async (transferId: number) => {
    initDatabase(databaseUrl);
    try {
      const select = <T extends object>(sql: string) => db().query<T>(sql, { type: QueryTypes.SELECT, replacements: { transferId } });
      const rows = await select<{ reason: string; n: number | string }>(
        "SELECT reason, COUNT(*) AS n FROM stock_movements WHERE reference_type = 'transfer' AND reference_id = :transferId GROUP BY reason",
      );
      const [lines] = await select<{ shipped: number | string; received: number | string }>(
        'SELECT SUM(shipped) AS shipped, SUM(received) AS received FROM transfer_lines WHERE transfer_id = :transferId',
      );
      const [transfer] = await select<{ status: string }>('SELECT status FROM transfers WHERE id = :transferId');
      return {
        status: transfer.status,
        rows: Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)])),
        shipped: Number(lines.shipped),
        received: Number(lines.received),
        violations: await stockInvariantViolations(),
      };
    } finally {
      await closeDatabase();
    }
  };

  before(async () => {
    if (process.env.TEST_DATABASE_URL) {
      const fresh = await freshMysqlDatabase(process.env.TEST_DATABASE_URL);
      databaseUrl = fresh.url;
      dropDatabase = fresh.drop;
    }
    await restart();
    const login = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    token = ((await login.json()) as Json).token;
  });
  after(async () => {
    api?.child.kill('SIGKILL');
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`when the API is killed while ${LINES}-line transfers ship and arrive, then each one moved all its lines or none`, async () => {
    const main = (await call('GET', '/api/locations')).body.data[0];
    const shop = (await call('POST', '/api/locations', { name: 'Shop', code: 'SHOP' })).body;
    const productIds: number[] = [];
    for (let i = 0; i < LINES; i++) productIds.push((await call('POST', '/api/products', { name: `Kill item ${i}`, price: 2, costPrice: 1, stock: 10 })).body.id);
    const items = productIds.map((productId) => ({ productId, quantity: 1 }));

    // How long shipping and receiving take here, uninterrupted: the kills land at fractions of that.
    const timed = (await call('POST', '/api/transfers', { fromLocationId: main.id, toLocationId: shop.id, items })).body;
    let started = performance.now();
    assert.equal((await call('POST', `/api/transfers/${timed.id}/ship`)).status, 200);
    const shipMs = performance.now() - started;
    started = performance.now();
    assert.equal((await call('POST', `/api/transfers/${timed.id}/receive`)).status, 200);
    const receiveMs = performance.now() - started;

    const outcomes: string[] = [];
    for (const fraction of [0.5, 0.9, 3]) {
      const transfer = (await call('POST', '/api/transfers', { fromLocationId: main.id, toLocationId: shop.id, items })).body;
      await killDuring(call('POST', `/api/transfers/${transfer.id}/ship`), shipMs * fraction);
      const shipped = await movedFor(transfer.id);
      assert.deepEqual(shipped.violations, [], `after a kill ${fraction} into shipping`);
      if (shipped.status === 'draft') assert.deepEqual([shipped.rows, shipped.shipped], [{}, 0]);
      else assert.deepEqual([shipped.status, shipped.rows, shipped.shipped], ['in_transit', { transfer_out: LINES }, LINES]);
      outcomes.push(`ship x${fraction}: ${shipped.status}`);

      await restart();
      if (shipped.status === 'draft') assert.equal((await call('POST', `/api/transfers/${transfer.id}/ship`)).status, 200);
      await killDuring(call('POST', `/api/transfers/${transfer.id}/receive`), receiveMs * fraction);
      const received = await movedFor(transfer.id);
      assert.deepEqual(received.violations, [], `after a kill ${fraction} into receiving`);
      if (received.status === 'in_transit') assert.deepEqual([received.rows, received.received], [{ transfer_out: LINES }, 0]);
      else assert.deepEqual([received.status, received.rows, received.received], ['received', { transfer_out: LINES, transfer_in: LINES }, LINES]);
      outcomes.push(`receive x${fraction}: ${received.status}`);
      await restart();
    }
    console.log(`# ship ${Math.round(shipMs)} ms, receive ${Math.round(receiveMs)} ms uninterrupted; killed at: ${outcomes.join('; ')}`);
  });
});
