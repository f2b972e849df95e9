import { AsyncLocalStorage } from 'node:async_hooks';

/** Runs a function in the context this module was loaded in: a batch belongs to no one caller's async context. */
const detached = AsyncLocalStorage.snapshot();

/**
 * Serves calls in batches without a timer: a call that finds nothing running
 * runs at once, alone; calls that arrive while a batch runs wait for it and
 * then go together (at most `max`, in arrival order) as the next one. So a
 * lone call never waits, and under load each batch holds what came in while
 * the last one ran. `run` answers each input of a batch in order, settled
 * (a refusal of one input is its own); if `run` itself fails, every caller
 * of that batch gets its error. Batches run one at a time.
 */
export function batched<I, O>(run: (inputs: I[]) => Promise<PromiseSettledResult<O>[]>, max: number): (input: I) => Promise<O> {
  const waiting: { input: I; resolve(value: O): void; reject(reason: unknown): void }[] = [];
  let running = false;
  const next = (): void => {
    if (running || !waiting.length) return;
    running = true;
    const batch = waiting.splice(0, max);
    detached(() => run(batch.map((call) => call.input)))
      .then(
        (outcomes) =>
          batch.forEach((call, i) => {
            const outcome = outcomes[i];
            if (outcome?.status === 'fulfilled') call.resolve(outcome.value);
            else call.reject(outcome ? outcome.reason : new Error('the batch gave this call no answer'));
          }),
        (err: unknown) => batch.forEach((call) => call.reject(err)),
      )
      .finally(() => {
        running = false;
        next();
      });
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      next();
    });
}
