import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/eventually.js';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { replicaSetMissing, startReplicaSet, type ReplicaSet } from '../helpers/mariadb-replica.js';

const missing = replicaSetMissing();

describe('DATABASE_READ_URLS: reports read a GTID replica, every other read and write the primary', { skip: missing ? `skipped: ${missing}` : false }, () => {
  let set: ReplicaSet;
  let app: TestApp;
  let products = 0;

  const create = async (name: string) => {
    const res = await app.http('POST', '/api/products', { token: app.adminToken, body: { name, category: 'Replicated' } });
    assert.equal(res.status, 201, res.text);
    products += 1;
    return res.body.id as number;
  };

  /** The product count as each kind of report gives it: the dashboard, the CSV export and the AI analyst's tool. */
  async function reported() {
    const dashboard = await app.http('GET', '/api/dashboard/stats', { token: app.adminToken });
    assert.equal(dashboard.status, 200, dashboard.text);
    const csv = await app.http('GET', '/api/products/export?format=csv', { token: app.adminToken });
    assert.equal(csv.status, 200, csv.text);
    const ai = await app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question: 'How many products do we carry?' } });
    assert.equal(ai.status, 200, ai.text);
    const count = Object.values(ai.body.data as Record<string, { total?: number }>).find((d) => typeof d?.total === 'number')?.total;
    return { dashboard: dashboard.body.totalProducts as number, export: csv.text.trim().split('\r\n').length - 1, ai: count };
  }

  const everywhere = (n: number) => ({ dashboard: n, export: n, ai: n });

  before(async () => {
    set = await startReplicaSet();
    app = await startTestApp({ ...set.env(), AI_RATE_LIMIT: '1000' }, { now: MID_MONTH });
    await create('Oak Shelf');
    await create('Pine Shelf');
    await set.waitForReplica();
  });
  after(async () => {
    await app?.close();
    await set?.stop();
  });

  it('when the replica has caught up, then every report gives the same figures as the primary', async () => {
    assert.deepEqual(await reported(), everywhere(products));
  });

  it('while the replica lags, a product created is read back by id, listed and updated at once (the primary)', async () => {
    await set.pauseReplication();
    try {
      const id = await create('Birch Shelf');
      const byId = await app.http('GET', `/api/products/${id}`, { token: app.adminToken });
      assert.equal(byId.status, 200, byId.text);
      assert.equal(byId.body.name, 'Birch Shelf');
      const list = await app.http('GET', '/api/products?limit=100', { token: app.adminToken });
      assert.ok(list.body.data.some((p: { id: number }) => p.id === id), 'the list the frontend shows after the write has it');
      const updated = await app.http('PUT', `/api/products/${id}`, { token: app.adminToken, body: { name: 'Birch Shelf XL' } });
      assert.equal(updated.status, 200, updated.text);
    } finally {
      await set.resumeReplication();
      await set.waitForReplica();
    }
  });

  it('while the replica lags, a new user signs in and a logged-out token is refused at once', async () => {
    await set.pauseReplication();
    try {
      const { token } = await app.userWithRole('staff', { password: 'password-123' });
      assert.equal((await app.http('GET', '/api/auth/me', { token })).status, 200);
      assert.equal((await app.http('POST', '/api/auth/logout', { token })).status, 204);
      const after = await app.http('GET', '/api/auth/me', { token });
      assert.equal(after.status, 401, after.text);
    } finally {
      await set.resumeReplication();
      await set.waitForReplica();
    }
  });

  it('while the replica lags, the dashboard, the export and the AI tools give its (older) figures, and the new ones once it catches up', async () => {
    const before = products;
    await set.pauseReplication();
    try {
      await create('Maple Shelf');
      assert.deepEqual(await reported(), everywhere(before), 'reports come from the replica');
    } finally {
      await set.resumeReplication();
    }
    await set.waitForReplica();
    // The export and the analyst read afresh; the dashboard keeps a figure it computed for at most its cache TTL (2 s).
    await eventually(async () => assert.deepEqual(await reported(), everywhere(products)), 5_000);
  });

  it('when the replica is down, then the reports answer from the primary (with the newest figures)', async () => {
    await set.replica.kill();
    try {
      await create('Walnut Shelf');
      assert.deepEqual(await reported(), everywhere(products));
      assert.deepEqual(await reported(), everywhere(products), 'again, while the replica is left alone');
    } finally {
      await set.replica.start();
    }
    await set.waitForReplica();
    assert.deepEqual(await reported(), everywhere(products), 'and from the replica once it is back');
  });
});
