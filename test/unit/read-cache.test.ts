import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadCache } from '../../src/shared/read-cache.js';

/** A cache local to this instance (no shared generation, no database): what tokenUsers uses. */
describe('a local read cache', () => {
  it('when an entry is read again within its TTL, then the load does not run again', async () => {
    const cache = new ReadCache<{ n: number }>({ name: 'unit-hit', max: 10, ttlMs: 5_000, shared: false });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    assert.equal((await cache.get('k', load)).n, 1);
    assert.equal((await cache.get('k', load)).n, 1);
    assert.equal(loads, 1);
  });

  it('when a write is signalled here, then the next read loads again, and a read running meanwhile is not kept', async () => {
    const cache = new ReadCache<{ n: number }>({ name: 'unit-invalidate', max: 10, ttlMs: 5_000, shared: false });
    let loads = 0;
    await cache.get('k', async () => ({ n: ++loads }));
    const running = cache.get('k2', async () => {
      await sleep(50);
      return { n: ++loads };
    });
    await cache.invalidate();
    await running;
    assert.equal((await cache.get('k', async () => ({ n: ++loads }))).n, 3);
    assert.equal((await cache.get('k2', async () => ({ n: ++loads }))).n, 4, 'the read that ran across the write was not kept');
  });

  it('when a load is slow, then its entry expires its TTL after the load began, not after it ended', async () => {
    const cache = new ReadCache<{ n: number }>({ name: 'unit-ttl', max: 10, ttlMs: 1_500, shared: false });
    let loads = 0;
    await cache.get('k', async () => {
      await sleep(700);
      return { n: ++loads };
    });
    // 700 ms into its 1,500: still kept.
    assert.equal((await cache.get('k', async () => ({ n: ++loads }))).n, 1);
    await sleep(900);
    // 1,600 ms after the first load began: gone, though only 900 ms after it ended.
    assert.equal((await cache.get('k', async () => ({ n: ++loads }))).n, 2);
  });
});
