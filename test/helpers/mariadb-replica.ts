/**
 * A private MariaDB primary with a GTID replica: two `mariadbd` processes of
 * the test's own (test/helpers/private-mariadb.ts: own data folders, sockets
 * and free loopback ports; `mariadb-install-db` + `mariadbd --defaults-file`),
 * never the shared server on 3306.
 *
 *   import { replicaSetMissing, startReplicaSet } from '../helpers/mariadb-replica.js';
 *   const skip = replicaSetMissing();            // a reason string when mariadbd is not installed
 *   const set = await startReplicaSet();         // ~10-20 s: both installed, started, replicating
 *   startTestApp(set.env());                     // DATABASE_URL = primary, DATABASE_READ_URLS = replica
 *   await set.pauseReplication();                // STOP SLAVE SQL_THREAD: the replica lags from here on
 *   await set.resumeReplication();               // START SLAVE SQL_THREAD
 *   await set.waitForReplica();                  // the replica has applied everything the primary logged
 *   await set.replica.kill(); await set.replica.start();   // a replica that is down, and back
 *   await set.stop();                            // both stopped, folders removed
 *
 * What it sets up:
 * - primary: `server-id=1`, binary log in row format; replica: `server-id=2`,
 *   `read_only=1`, replicating with `CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos`
 *   through a `repl` user (REPLICATION SLAVE).
 * - the database `stockpilot` (utf8mb4), created on the primary and replicated;
 * - the app user `stockpilot`@`%` (password below), granted `ALL ON stockpilot.*`
 *   and nothing on `*.*`, so `read_only=1` refuses its writes on the replica
 *   (the replication thread still applies the primary's).
 * Several app instances may share one set (the URLs are plain TCP URLs);
 * each call of startReplicaSet() is an independent pair.
 */
import mysql from 'mysql2/promise';
import { privateMariadbMissing, startPrivateMariadb, type PrivateMariadb } from './private-mariadb.js';

export interface ReplicaSet {
  /** The primary (root access, freeze/kill/start as in private-mariadb.ts). */
  primary: PrivateMariadb;
  /** The replica (read_only=1). */
  replica: PrivateMariadb;
  /** mysql://stockpilot:<password>@127.0.0.1:<primary port>/stockpilot: the app's DATABASE_URL. */
  primaryUrl: string;
  /** mysql://stockpilot:<password>@127.0.0.1:<replica port>/stockpilot: a DATABASE_READ_URLS entry. */
  replicaUrl: string;
  /** `{ DATABASE_URL: primaryUrl, DATABASE_READ_URLS: replicaUrl }` for startTestApp or a child process. */
  env(): Record<string, string>;
  /** STOP SLAVE SQL_THREAD on the replica: it keeps receiving the primary's log but applies nothing (lag). */
  pauseReplication(): Promise<void>;
  /** START SLAVE SQL_THREAD. */
  resumeReplication(): Promise<void>;
  /**
   * Resolves once the replica has applied everything the primary had logged
   * when it was called (MASTER_GTID_WAIT); throws after `timeoutMs` or when
   * replication is paused or broken (with the replica's last error).
   */
  waitForReplica(timeoutMs?: number): Promise<void>;
  /** Stops both servers and removes their folders. */
  stop(): Promise<void>;
}

export const APP_USER = { user: 'stockpilot', password: 'stockpilot-replica-pass' } as const;
const DATABASE = 'stockpilot';
const REPL_USER = { user: 'repl', password: 'repl-pass' } as const;

/** Why the pair cannot run here (no mariadbd / mariadb-install-db), or undefined when it can. */
export const replicaSetMissing = privateMariadbMissing;

async function asRoot<T>(server: PrivateMariadb, work: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', multipleStatements: true });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

async function rows<T>(conn: mysql.Connection, sql: string, values: unknown[] = []): Promise<T[]> {
  const [result] = await conn.query(sql, values);
  return result as T[];
}

const appUrl = (port: number) => `mysql://${APP_USER.user}:${APP_USER.password}@127.0.0.1:${port}/${DATABASE}`;

export async function startReplicaSet(): Promise<ReplicaSet> {
  const missing = replicaSetMissing();
  if (missing) throw new Error(missing);
  const primary = await startPrivateMariadb(DATABASE, { binlog: true, createDatabase: false, config: ['server-id=1'] });
  let replica: PrivateMariadb | undefined;
  try {
    replica = await startPrivateMariadb(DATABASE, { createDatabase: false, config: ['server-id=2', 'read_only=1', 'relay-log=relay-bin'] });
    // The replication account exists on the primary only (kept out of its log); replication starts after it.
    const start = await asRoot(primary, async (conn) => {
      await conn.query(
        `SET sql_log_bin = 0; CREATE USER '${REPL_USER.user}'@'%' IDENTIFIED BY '${REPL_USER.password}'; GRANT REPLICATION SLAVE ON *.* TO '${REPL_USER.user}'@'%'; SET sql_log_bin = 1`,
      );
      const [{ pos }] = await rows<{ pos: string }>(conn, 'SELECT @@GLOBAL.gtid_binlog_pos AS pos');
      return pos;
    });
    await asRoot(replica, (conn) =>
      conn.query(
        `SET GLOBAL gtid_slave_pos = ?;
         CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;
         START SLAVE`,
        [start, primary.port, REPL_USER.user, REPL_USER.password],
      ),
    );
    // Logged on the primary, so the replica gets the database and the app user (and its grant) the same way as every later write.
    await asRoot(primary, (conn) =>
      conn.query(
        `CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
         CREATE USER '${APP_USER.user}'@'%' IDENTIFIED BY '${APP_USER.password}';
         GRANT ALL ON \`${DATABASE}\`.* TO '${APP_USER.user}'@'%'`,
      ),
    );
  } catch (err) {
    await Promise.all([primary.destroy(), replica?.destroy()]);
    throw err;
  }
  const pair = replica;

  const waitForReplica = async (timeoutMs = 30_000) => {
    const target = await asRoot(primary, async (conn) => (await rows<{ pos: string }>(conn, 'SELECT @@GLOBAL.gtid_binlog_pos AS pos'))[0].pos);
    await asRoot(pair, async (conn) => {
      const [status] = await rows<Record<string, string | null>>(conn, 'SHOW SLAVE STATUS');
      if (status?.Slave_SQL_Running !== 'Yes') {
        throw new Error(`replication is not applying (SQL thread: ${status?.Slave_SQL_Running ?? 'none'}; last error: ${status?.Last_SQL_Error || status?.Last_IO_Error || 'none'})`);
      }
      const [{ waited }] = await rows<{ waited: number }>(conn, 'SELECT MASTER_GTID_WAIT(?, ?) AS waited', [target, timeoutMs / 1000]);
      if (Number(waited) !== 0) throw new Error(`the replica did not reach ${target} within ${timeoutMs} ms`);
    });
  };

  const set: ReplicaSet = {
    primary,
    replica: pair,
    primaryUrl: appUrl(primary.port),
    replicaUrl: appUrl(pair.port),
    env: () => ({ DATABASE_URL: set.primaryUrl, DATABASE_READ_URLS: set.replicaUrl }),
    pauseReplication: () => asRoot(pair, (conn) => conn.query('STOP SLAVE SQL_THREAD')).then(() => undefined),
    resumeReplication: () => asRoot(pair, (conn) => conn.query('START SLAVE SQL_THREAD')).then(() => undefined),
    waitForReplica,
    async stop() {
      await Promise.all([pair.destroy(), primary.destroy()]);
    },
  };
  await waitForReplica();
  return set;
}
