import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../../src/shared/coalesce.js';

/** A work whose runs the test finishes by hand, numbered in the order they started. */
function manualWork() {
  const runs: { n: number; finish(ok?: boolean): void }[] = [];
  const work = () =>
    new Promise<number>((resolve, reject) => {
      const n = runs.length + 1;
      runs.push({ n, finish: (ok = true) => (ok ? resolve(n) : reject(new Error(`run ${n} failed`))) });
    });
  return { runs, work };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced work', () => {
  it('when callers arrive while a run is going, then they share the next run, which starts after that one settles', async () => {
    const { runs, work } = manualWork();
    const next = coalesced(work);
    const first = next();
    const during = [next(), next(), next()];
    await tick();
    assert.equal(runs.length, 1, 'no second run while the first is going');
    runs[0].finish();
    assert.equal(await first, 1);
    await tick();
    assert.equal(runs.length, 2);
    runs[1].finish();
    assert.deepEqual(await Promise.all(during), [2, 2, 2]);
  });

  it('when a caller arrives after a run ended, then it gets a new run, and a failed run fails only its own callers', async () => {
    const { runs, work } = manualWork();
    const next = coalesced(work);
    const first = next();
    const waiting = next();
    runs[0].finish(false);
    await assert.rejects(first, /run 1 failed/);
    await tick();
    runs[1].finish();
    assert.equal(await waiting, 2);
    const later = next();
    await tick();
    runs[2].finish();
    assert.equal(await later, 3);
  });
});
