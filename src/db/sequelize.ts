import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
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
  /** TCP connect plus the server's handshake (also the limit of a liveness probe). */
  connectMs: number;
  /** Waiting for a pooled connection (including opening one). */
  acquireMs: number;
  /**
   * A statement still running after this long makes the app probe the server
   * on a fresh connection: a server that answers lets it run on (a lock wait,
   * a long report), one that does not gets the statement cut. 0: never probed.
   */
  stallMs: number;
}

export const DEFAULT_DB_TIMEOUTS: Readonly<DbTimeouts> = { connectMs: 2_000, acquireMs: 10_000, stallMs: 2_000 };

/** Whether the server answers at all, asked on a connection of its own (never the pool's); one probe a second at most. */
function livenessProbe(url: string, withinMs: number): () => Promise<boolean> {
  const target = new URL(url);
  let last: { at: number; alive: Promise<boolean> } | undefined;
  const probe = async () => {
    let connection: mysql.Connection | undefined;
    try {
      connection = await mysql.createConnection({
        host: target.hostname,
        port: Number(target.port || 3306),
        user: decodeURIComponent(target.username),
        password: decodeURIComponent(target.password),
        connectTimeout: withinMs,
      });
      await connection.query({ sql: 'SELECT 1', timeout: withinMs });
      return true;
    } catch {
      return false;
    } finally {
      connection?.destroy();
    }
  };
  return () => {
    if (!last || Date.now() - last.at > 1_000) last = { at: Date.now(), alive: probe() };
    return last.alive;
  };
}

type QueryCallback = (...args: unknown[]) => void;
interface MysqlConnection {
  query(sql: unknown, values?: unknown, cb?: unknown): unknown;
  execute(sql: unknown, values?: unknown, cb?: unknown): unknown;
  stream: { destroy(): void };
}

/**
 * Watches every statement on a mysql2 connection: one still running after
 * `stallMs` triggers a liveness probe. While the server answers probes the
 * statement runs on; once it does not (frozen, network gone), the
 * connection's socket is destroyed, so the statement fails at once with
 * PROTOCOL_CONNECTION_LOST (503) and the pool drops the connection.
 */
function watchForStalls(connection: MysqlConnection, stallMs: number, alive: () => Promise<boolean>): void {
  const wrap = (method: 'query' | 'execute') => {
    const original = connection[method].bind(connection);
    connection[method] = (sql: unknown, values?: unknown, cb?: unknown) => {
      const callback = (typeof values === 'function' ? values : cb) as QueryCallback | undefined;
      if (!callback) return original(sql, values, cb);
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        timer = setTimeout(() => {
          void alive().then((up) => {
            if (done) return;
            if (up) arm();
            else connection.stream.destroy();
          });
        }, stallMs);
      };
      const finished: QueryCallback = (...args) => {
        done = true;
        clearTimeout(timer);
        callback(...args);
      };
      arm();
      return typeof values === 'function' ? original(sql, finished) : original(sql, values, finished);
    };
  };
  wrap('query');
  wrap('execute');
}

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void };

/**
 * Every SQLite connection: WAL (readers and the writer do not block each
 * other, a commit appends to the log), NORMAL sync (no fsync per commit in
 * WAL: a crash may lose the last commits, never consistency), a 10 s wait on
 * a locked database instead of SQLITE_BUSY at once, and foreign keys.
 */
const SQLITE_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA busy_timeout = 10000', 'PRAGMA foreign_keys = ON', 'PRAGMA synchronous = NORMAL'];

/**
 * Sequelize's SQLite connection manager opens its connections itself (one for
 * plain queries, one per transaction) and never runs the afterConnect hooks,
 * so each new connection gets the pragmas here, before its first statement
 * (callers racing for a connection still opening wait for the same pragmas).
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: object): Promise<SqliteConnection> };
  const open = manager.getConnection.bind(manager);
  const configured = new WeakMap<SqliteConnection, Promise<void>>();
  const configure = async (connection: SqliteConnection) => {
    for (const pragma of SQLITE_PRAGMAS) await new Promise<void>((resolve, reject) => connection.run(pragma, (err) => (err ? reject(err) : resolve())));
  };
  manager.getConnection = async (options?: object) => {
    const connection = await open(options);
    if (!configured.has(connection)) configured.set(connection, configure(connection));
    await configured.get(connection);
    return connection;
  };
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
    configureSqliteConnections(sequelize);
    return sequelize;
  }
  const sequelize = new Sequelize(url, {
    dialect: 'mysql',
    logging: false,
    timezone: '+00:00',
    define: { underscored: true, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
    // multipleStatements: a pipeline (see pipelined in ./index.ts) is one query of several statements, one
    // round trip. Every value reaches SQL escaped (replacements, bind parameters, or integers checked in code).
    dialectOptions: { decimalNumbers: false, dateStrings: false, supportBigNumbers: true, connectTimeout: timeouts.connectMs, multipleStatements: true },
    // Waiting for a connection (opening one included) gives up after acquireMs: 503, not a hung request.
    pool: { max: 20, min: 0, idle: 10_000, acquire: timeouts.acquireMs },
  });
  if (timeouts.stallMs > 0) {
    const alive = livenessProbe(url, Math.min(timeouts.connectMs, 1_000));
    sequelize.addHook('afterConnect', (connection) => watchForStalls(connection as MysqlConnection, timeouts.stallMs, alive));
  }
  return sequelize;
}
