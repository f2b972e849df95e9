import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction } from 'sequelize';

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/** `sqlite:./data/x.sqlite`, `sqlite:/abs/x.sqlite` or `sqlite::memory:` to a storage path. */
export function sqliteStorage(url: string): string {
  const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return rest === ':memory:' ? rest : path.resolve(rest);
}

/** How long MySQL/MariaDB may take before a request gives up with 503 DB_UNAVAILABLE. */
export interface DbTimeouts {
  /** TCP connect plus the server's handshake. */
  connectMs: number;
  /** Waiting for a pooled connection (including opening one). */
  acquireMs: number;
  /** One statement, start to last row; the connection is then thrown away. 0: no limit. */
  queryMs: number;
}

export const DEFAULT_DB_TIMEOUTS: Readonly<DbTimeouts> = { connectMs: 2_000, acquireMs: 10_000, queryMs: 5_000 };

/** Statements that may run longer than the per-query deadline (migrations at start). */
let deadlineLifted = 0;

/** Runs `work` with the per-query deadline lifted: schema migrations may legitimately take minutes. */
export async function withoutQueryDeadline<T>(work: () => Promise<T>): Promise<T> {
  deadlineLifted += 1;
  try {
    return await work();
  } finally {
    deadlineLifted -= 1;
  }
}

type QueryCallback = (err: (Error & { code?: string }) | null, ...rest: unknown[]) => void;
interface MysqlConnection {
  query(sql: unknown, values?: unknown, cb?: unknown): unknown;
  execute(sql: unknown, values?: unknown, cb?: unknown): unknown;
  destroy(): void;
  stream?: { destroy(): void };
}

/**
 * Gives every statement on a mysql2 connection a deadline: a database that
 * stops answering (frozen, network gone) fails the query with
 * PROTOCOL_SEQUENCE_TIMEOUT after `queryMs`, and the connection, whose reply
 * may still arrive, is destroyed so the pool never hands it out again.
 */
function addQueryDeadline(connection: MysqlConnection, queryMs: number): void {
  const wrap = (method: 'query' | 'execute') => {
    const original = connection[method].bind(connection);
    connection[method] = (sql: unknown, values?: unknown, cb?: unknown) => {
      // A prepared command object (not a plain { sql } options object) goes through untouched.
      const plain = typeof sql === 'string' || (typeof sql === 'object' && sql !== null && Object.getPrototypeOf(sql) === Object.prototype);
      if (deadlineLifted > 0 || !queryMs || !plain) return original(sql, values, cb);
      const options = typeof sql === 'string' ? { sql } : { ...(sql as object) };
      const timed = { timeout: queryMs, ...options };
      const callback = (typeof values === 'function' ? values : cb) as QueryCallback | undefined;
      const guarded: QueryCallback | undefined = callback && ((err, ...rest) => {
        if (err?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
          connection.stream?.destroy();
          connection.destroy();
        }
        callback(err, ...rest);
      });
      return typeof values === 'function' ? original(timed, guarded) : original(timed, values, guarded);
    };
  };
  wrap('query');
  wrap('execute');
}

export function createSequelize(url: string, timeouts: Readonly<DbTimeouts> = DEFAULT_DB_TIMEOUTS): Sequelize {
  if (dialectOf(url) === 'sqlite') {
    const storage = sqliteStorage(url);
    if (storage !== ':memory:') mkdirSync(path.dirname(storage), { recursive: true });
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging: false,
      transactionType: Transaction.TYPES.IMMEDIATE,
      define: { underscored: true },
    });
    sequelize.addHook('afterConnect', async (connection) => {
      const db = connection as { run(sql: string, cb: (err: Error | null) => void): void };
      for (const pragma of ['PRAGMA journal_mode = WAL', 'PRAGMA busy_timeout = 10000', 'PRAGMA foreign_keys = ON', 'PRAGMA synchronous = NORMAL']) {
        await new Promise<void>((resolve, reject) => db.run(pragma, (err) => (err ? reject(err) : resolve())));
      }
    });
    return sequelize;
  }
  const sequelize = new Sequelize(url, {
    dialect: 'mysql',
    logging: false,
    timezone: '+00:00',
    define: { underscored: true, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
    dialectOptions: { decimalNumbers: false, dateStrings: false, supportBigNumbers: true, connectTimeout: timeouts.connectMs },
    // Waiting for a connection (opening one included) gives up after acquireMs: 503, not a hung request.
    pool: { max: 20, min: 0, idle: 10_000, acquire: timeouts.acquireMs },
  });
  sequelize.addHook('afterConnect', (connection) => addQueryDeadline(connection as MysqlConnection, timeouts.queryMs));
  return sequelize;
}
