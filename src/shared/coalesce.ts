const ignore = () => undefined;

/**
 * `work` for many callers at once: each caller gets a run that started after
 * it called, and a caller arriving while a run is going waits for the next
 * one, which starts when that run settles and serves everyone who arrived
 * meanwhile. A burst of callers costs two runs, not one each.
 */
export function coalesced<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run: Promise<T> = work().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    queued ??= running.then(ignore, ignore).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
}
