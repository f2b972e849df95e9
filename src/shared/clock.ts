/**
 * The business clock: what "now" is for documents (sales, orders, purchases,
 * ledger rows) and reports ("today", "this month"). Real time by default; a
 * test harness or a seeder anchors it, so figures never depend on the day a
 * suite runs.
 */
export type Clock = () => Date;

const realTime: Clock = () => new Date();
let current: Clock = realTime;

export function now(): Date {
  return current();
}

export function useClock(clock: Clock | undefined): void {
  current = clock ?? realTime;
}

/** A clock that starts at `start` and runs at real speed from the moment it is made. */
export function clockFrom(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** Options of a service write: when it happened (default now; seeders and imports backdate). */
export interface WriteOptions {
  at?: Date;
}
