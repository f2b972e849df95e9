import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';
import { createSequelize, dialectOf, type Dialect } from './sequelize.js';
import { initModels } from './models.js';

let instance: Sequelize | undefined;
let dialect: Dialect = 'sqlite';

/** SQLite has one writer: queue write transactions in-process instead of spinning on SQLITE_BUSY. */
let sqliteWriteQueue: Promise<unknown> = Promise.resolve();

/** The transaction the current async flow runs in, so a nested transaction() joins it instead of waiting on it. */
const active = new AsyncLocalStorage<Transaction>();

export function initDatabase(url: string): Sequelize {
  instance = createSequelize(url);
  dialect = dialectOf(url);
  initModels(instance);
  return instance;
}

export function db(): Sequelize {
  if (!instance) throw new Error('Database has not been initialised');
  return instance;
}

export function isSqlite(): boolean {
  return dialect === 'sqlite';
}

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back when
 * it throws. Business code takes its transaction from here (or from its caller).
 * Called inside another transaction() it joins the outer one.
 */
export function transaction<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
  const outer = active.getStore() as (Transaction & { finished?: string }) | undefined;
  if (outer && !outer.finished) return work(outer);
  const run = () => db().transaction((t) => active.run(t, () => work(t)));
  if (dialect !== 'sqlite') return run();
  const result = sqliteWriteQueue.then(run, run);
  sqliteWriteQueue = result.catch(() => undefined);
  return result;
}

export async function closeDatabase(): Promise<void> {
  if (instance) await instance.close();
  instance = undefined;
}

export async function pingDatabase(): Promise<boolean> {
  try {
    await db().query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
