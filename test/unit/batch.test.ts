import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { batched } from '../../src/shared/batch.js';

/** A run whose batches the test finishes by hand: each input doubled, odd ones refused. */
function manualRun() {
  const batches: { inputs: number[]; finish(fail?: Error): void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<PromiseSettledResult<number>[]>((resolve, reject) => {
      batches.push({
        inputs,
        finish: (fail) =>
          fail ? reject(fail) : resolve(inputs.map((n) => (n % 2 ? { status: 'rejected', reason: new Error(`odd ${n}`) } : { status: 'fulfilled', value: n * 2 }))),
      });
    });
  return { batches, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('batched calls', () => {
  it('when a call finds nothing running, then it runs at once and alone', async () => {
    const { batches, run } = manualRun();
    const call = batched(run, 10);
    const answer = call(2);
    assert.deepEqual(batches.map((b) => b.inputs), [[2]], 'no waiting for company');
    batches[0].finish();
    assert.equal(await answer, 4);
  });

  it('when calls arrive while a batch runs, then they go together as the next one, in order, at most max at a time', async () => {
    const { batches, run } = manualRun();
    const call = batched(run, 3);
    const first = call(0);
    const waiting = [2, 4, 6, 8].map((n) => call(n));
    await tick();
    assert.equal(batches.length, 1, 'nothing more while the first batch runs');
    batches[0].finish();
    await first;
    await tick();
    assert.deepEqual(batches.map((b) => b.inputs), [[0], [2, 4, 6]]);
    batches[1].finish();
    await tick();
    assert.deepEqual(batches[2].inputs, [8]);
    batches[2].finish();
    assert.deepEqual(await Promise.all(waiting), [4, 8, 12, 16]);
  });

  it('when one input of a batch is refused, then only its caller gets the error', async () => {
    const { batches, run } = manualRun();
    const call = batched(run, 10);
    const busy = call(0);
    const [even, odd] = [call(2), call(3)];
    batches[0].finish();
    await busy;
    await tick();
    batches[1].finish();
    assert.equal(await even, 4);
    await assert.rejects(odd, /odd 3/);
  });

  it('when a whole batch fails, then each of its callers gets that error and the next batch still runs', async () => {
    const { batches, run } = manualRun();
    const call = batched(run, 10);
    const busy = call(0);
    const failing = [call(2), call(4)];
    batches[0].finish();
    await busy;
    await tick();
    assert.deepEqual(batches[1].inputs, [2, 4]);
    batches[1].finish(new Error('database down'));
    for (const answer of failing) await assert.rejects(answer, /database down/);
    const later = call(6);
    batches[2].finish();
    assert.equal(await later, 12);
  });

  it("when a batch runs, then it does not run in its first caller's async context", async () => {
    const context = new AsyncLocalStorage<string>();
    let seen: string | undefined = 'not run';
    const call = batched(async (inputs: number[]) => {
      seen = context.getStore();
      return inputs.map((value) => ({ status: 'fulfilled' as const, value }));
    }, 10);
    assert.equal(await context.run('request A', () => call(1)), 1);
    assert.equal(seen, undefined);
  });
});
