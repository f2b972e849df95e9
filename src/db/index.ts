import type { Sequelize, Transaction } from 'sequelize';
import { createSequelize, dialectOf, type Dialect } from './sequelize.js';
import { initModels } from './models.js';

let instance: Sequelize | undefined;
let dialect: Dialect = 'sqlite';

/** SQLite has one writer: queue write transactions in-process instead of spinning on SQLITE_BUSY. */
let sqliteWriteQueue: Promise<unknown> = Promise.resolve();

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
 */
export function transaction<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
  const run = () => db().transaction((t) => work(t));
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
