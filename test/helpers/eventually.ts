import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `check` until it stops throwing, for what happens after a commit (alerts, mail); its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}
