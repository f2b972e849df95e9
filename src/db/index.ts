import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, DatabaseError, QueryTypes, Sequelize, Transaction, type QueryOptions } from 'sequelize';
import { AppError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { createSequelize, DEFAULT_DB_TIMEOUTS, dialectOf, type DbTimeouts, type Dialect } from './sequelize.js';
import { initModels } from './models.js';
import sqlUtils from 'sequelize/lib/utils/sql';

/** Sequelize's own replacement inliner (escaping as for any query), for the statements of a pipeline. */
const { injectReplacements } = sqlUtils as unknown as typeof import('sequelize/lib/utils/sql');

let instance: Sequelize | undefined;
let dialect: Dialect = 'sqlite';

/** SQLite has one writer: queue write transactions in-process instead of spinning on SQLITE_BUSY. */
let sqliteWriteQueue: Promise<unknown> = Promise.resolve();

/**
 * The transaction travels with the async flow: Sequelize's CLS hook, backed
 * by AsyncLocalStorage, hands it to every query started inside transaction(),
 * so business code never passes a transaction around, and a nested
 * transaction() joins the one it runs in.
 */
const flow = new AsyncLocalStorage<Map<string, unknown>>();
Sequelize.useCLS({
  get: (key: string) => flow.getStore()?.get(key),
  set: (key: string, value: unknown) => void flow.getStore()?.set(key, value),
  run: (fn: (context: Map<string, unknown>) => unknown) => {
    const context = new Map<string, unknown>();
    flow.run(context, () => fn(context));
    return context;
  },
  bind: <F>(fn: F) => fn,
});

let instanceUrl: string | undefined;

/** Opens the database (models initialised on it); the one already open on the same URL is returned as is. */
export function initDatabase(url: string, timeouts: Readonly<DbTimeouts> = DEFAULT_DB_TIMEOUTS): Sequelize {
  if (instance && instanceUrl === url) return instance;
  instance = createSequelize(url, timeouts);
  instanceUrl = url;
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
 * A Date as the dialect stores a millisecond timestamp, for raw SQL. Sequelize
 * formats a Date replacement without its milliseconds on MySQL/MariaDB, so
 * `created_at < :now` would miss what happened earlier in the same second.
 */
export function sqlDate(date: Date): string {
  const ms = date.getTime();
  // A write puts the same instant in many columns and rows: the last one formatted is kept.
  if (ms === lastDate.ms && dialect === lastDate.dialect) return lastDate.text;
  const utc = date.toISOString().replace('T', ' ').slice(0, 23);
  lastDate = { ms, dialect, text: dialect === 'sqlite' ? `${utc} +00:00` : utc };
  return lastDate.text;
}
let lastDate = { ms: NaN, dialect: undefined as Dialect | undefined, text: '' };

/** Replacements with every Date written as sqlDate(). */
export function sqlReplacements<T extends Record<string, unknown> | unknown[]>(values: T): T {
  const convert = (v: unknown) => (v instanceof Date ? sqlDate(v) : v);
  if (Array.isArray(values)) return values.map(convert) as T;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, convert(v)])) as T;
}

/**
 * Rows as the list of a multi-row `INSERT ... VALUES`: each value escaped as
 * any replacement is (dates as sqlDate), a RowId that is the pipeline's
 * (insertedId) as its SQL.
 */
export function valuesSql(rows: readonly (readonly unknown[])[]): string {
  const sequelize = db();
  const value = (v: unknown) => (isPipelineId(v) ? v.sql : sequelize.escape((v instanceof Date ? sqlDate(v) : v) as string));
  return rows.map((row) => `(${row.map(value).join(', ')})`).join(', ');
}

/** A raw SELECT with named replacements, dates to the millisecond. */
export function selectRows<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
  return db().query<T>(sql, { type: QueryTypes.SELECT, replacements: sqlReplacements(replacements) });
}

type TypeCast = (field: { type: string; string(): string | null }, next: () => unknown) => unknown;
interface PooledConnection {
  config: { typeCast: TypeCast };
  query(options: { sql: string; values?: readonly unknown[]; typeCast: TypeCast }, callback: (err: Error | null, rows: unknown) => void): unknown;
}

/** A DATETIME(3) as MariaDB sends it (UTC, as written: sqlDate) in ISO 8601, as Date.toISOString() would give it. */
function isoText(text: string | null): string | null {
  if (text === null) return null;
  return `${text.slice(0, 10)}T${text.length > 19 ? text.slice(11, 23).padEnd(12, '0') : `${text.slice(11, 19)}.000`}Z`;
}
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): void;
}

/**
 * The rows of a SELECT on the primary, `values` filling its `?` placeholders
 * in order (SQL holding escaped text inlined passes none), for the hottest
 * reads (a product by id, a page's products, the token's user). On
 * MySQL/MariaDB outside a transaction it runs on a pooled connection through
 * mysql2 directly (same escaping, same pool and timeouts, same value parsing
 * as Sequelize's raw rows): Sequelize's query path (hooks, a stack trace
 * taken per query, its replacement pass) cost more server CPU than the
 * statement itself. A failure is Sequelize's DatabaseError, as from
 * sequelize.query. SQLite, a report scope, or a transaction (unless
 * `outsideTransaction`) go through Sequelize. On the direct path DATETIME
 * columns come back as ISO 8601 text (UTC) instead of Dates: read them with
 * toDate(), which takes either.
 */
export async function primaryRows<T extends object>(sql: string, values: readonly unknown[], options: { outsideTransaction?: boolean } = {}): Promise<T[]> {
  // No values, no placeholder pass: the SQL may hold escaped text with a `?` in it.
  const params = values.length ? sqlReplacements([...values]) : undefined;
  if (dialect === 'sqlite' || (currentTransaction() && !options.outsideTransaction) || reportScope.getStore()) {
    return db().query<T>(sql, { type: QueryTypes.SELECT, replacements: params, raw: true, ...(options.outsideTransaction ? { transaction: null } : {}) });
  }
  const pool = db().connectionManager as unknown as ConnectionPool;
  const connection = await pool.getConnection({ type: 'SELECT', useMaster: true });
  try {
    return await new Promise<T[]>((resolve, reject) => {
      // DATETIMEs as ISO text, not Dates: parsing each into a Date (Sequelize's cast) to print it again was a tenth of a page's CPU.
      const sequelizeCast = connection.config.typeCast;
      const typeCast: TypeCast = (field, next) => (field.type === 'DATETIME' ? isoText(field.string()) : sequelizeCast(field, next));
      connection.query({ sql, values: params, typeCast }, (err, rows) => (err ? reject(new DatabaseError(Object.assign(err, { sql, parameters: {} }))) : resolve(rows as T[])));
    });
  } finally {
    pool.releaseConnection(connection);
  }
}

/**
 * Report reads (DATABASE_READ_URLS): MySQL/MariaDB replicas, each a
 * Sequelize pool of its own without models. Only code that says so reads
 * from them, through reportReads()/reportRows(): the dashboard figures, the
 * exports and the AI tools, which may be as old as the replica's lag. Every
 * write, and every read that must see a write (by id after a create, auth and
 * token checks, the lists behind the forms), stays on the primary.
 */
interface Replica {
  /** The URL without its password, for logs. */
  label: string;
  sequelize: Sequelize;
  /** Skipped until then after it could not be reached. */
  downUntil: number;
  failing: boolean;
}

let replicas: Replica[] = [];
let nextReplica = 0;
/** How long a replica that could not be reached is left alone before it is tried again. */
const REPLICA_RETRY_MS = 5_000;
const reportScope = new AsyncLocalStorage<boolean>();
const routed = new WeakSet<Sequelize>();

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

/**
 * Opens the report replicas (round-robin, each its own pool) beside the
 * primary opened by initDatabase(); none: every report reads the primary.
 */
export function initReportReplicas(urls: readonly string[], timeouts: Readonly<DbTimeouts> = DEFAULT_DB_TIMEOUTS): void {
  const closing = replicas;
  replicas = urls.map((url) => ({ label: withoutPassword(url), sequelize: createSequelize(url, timeouts), downUntil: 0, failing: false }));
  for (const replica of closing) void replica.sequelize.close().catch(() => undefined);
  if (replicas.length && !routed.has(db())) routeReportReads(db());
}

/** A SELECT that may be answered by a replica: inside reportReads(), outside every transaction, no row locks. */
function replicaMayAnswer(options: QueryOptions | undefined): boolean {
  if (!replicas.length || !reportScope.getStore() || options?.type !== QueryTypes.SELECT) return false;
  const lock = (options as { lock?: unknown }).lock;
  return !lock && !options.transaction && (options.transaction === null || !currentTransaction());
}

/**
 * The primary's query() hands a report's SELECTs to the next replica that
 * can be reached; the models' finders go through query() too, so a report
 * reads the same way through raw SQL or a model. A replica that cannot be
 * reached (or fails the statement) is logged and the statement runs on the
 * next one, then on the primary: a report never fails for a replica.
 */
function routeReportReads(primary: Sequelize): void {
  routed.add(primary);
  const query = primary.query.bind(primary) as (sql: unknown, options?: QueryOptions) => Promise<unknown>;
  const routedQuery = (sql: unknown, options?: QueryOptions) =>
    replicaMayAnswer(options) ? fromReplica((replica) => replica.query(sql as string, { ...options, transaction: null }), () => query(sql, options)) : query(sql, options);
  Object.assign(primary, { query: routedQuery });
}

async function fromReplica<T>(read: (replica: Sequelize) => Promise<T>, fromPrimary: () => Promise<T>): Promise<T> {
  for (let tried = 0; tried < replicas.length; tried++) {
    const replica = replicas[nextReplica++ % replicas.length];
    if (replica.downUntil > Date.now()) continue;
    try {
      const result = await read(replica.sequelize);
      if (replica.failing) logger().info({ replica: replica.label }, 'report replica answers again');
      replica.failing = false;
      return result;
    } catch (err) {
      const unreachable = err instanceof ConnectionError || databaseUnavailable(err);
      if (unreachable) replica.downUntil = Date.now() + REPLICA_RETRY_MS;
      replica.failing = true;
      logger().warn(
        { replica: replica.label, err: (err as Error).message, retryInMs: unreachable ? REPLICA_RETRY_MS : undefined },
        unreachable ? 'report replica unreachable; reading from the next one or the primary' : 'report replica failed a statement; reading it from the primary',
      );
      if (!unreachable) break;
    }
  }
  return fromPrimary();
}

/**
 * Runs report code whose SELECTs may come from a replica (DATABASE_READ_URLS):
 * figures that may lag the primary by the replica's delay. Without replicas,
 * or inside a transaction, everything reads the primary. Never wrap code that
 * writes from what it reads, or that must see a write just made.
 */
export function reportReads<T>(work: () => Promise<T>): Promise<T> {
  return replicas.length ? reportScope.run(true, work) : work();
}

/** selectRows() for reports: from a replica when DATABASE_READ_URLS has one (see reportReads). */
export function reportRows<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
  return reportReads(() => selectRows<T>(sql, replacements));
}

/** The transaction the current flow runs in, if any. */
export function currentTransaction(): Transaction | undefined {
  const t = flow.getStore()?.get('transaction') as (Transaction & { finished?: string }) | null | undefined;
  return t && !t.finished ? t : undefined;
}

/**
 * Runs `fn` once the current transaction commits (never when it rolls back),
 * or now outside one. The commit waits for a promise `fn` returns.
 */
export function afterCommit(fn: () => unknown): void {
  const t = currentTransaction();
  if (t) t.afterCommit(() => fn() as Promise<void>);
  else void fn();
}

const scheduledOnce = new WeakMap<Transaction, WeakSet<object>>();

/**
 * Like afterCommit, but once per transaction for a given `key`, however often
 * it is asked (a seed makes thousands of changes in one transaction, and each
 * would schedule the same work). `t` defaults to the current transaction;
 * outside one, `fn` runs now every time.
 */
export function afterCommitOnce(key: object, fn: () => unknown, t: Transaction | null | undefined = currentTransaction()): void {
  if (!t) {
    void fn();
    return;
  }
  let keys = scheduledOnce.get(t);
  if (!keys) scheduledOnce.set(t, (keys = new WeakSet()));
  if (keys.has(key)) return;
  keys.add(key);
  t.afterCommit(() => fn() as Promise<void>);
}

/** How often a transaction that lost a deadlock or a lock wait is run again, in all. */
const ATTEMPTS = 4;

type LockFailure = 'deadlock' | 'lock-timeout';

/** A transaction the database aborted for lock reasons: running it again can succeed. */
export function lockFailureOf(err: unknown): LockFailure | undefined {
  const code = (err as { parent?: { code?: string }; original?: { code?: string } } | null)?.parent?.code;
  if (code === 'ER_LOCK_DEADLOCK') return 'deadlock';
  if (code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY') return 'lock-timeout';
  return undefined;
}

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back when
 * it throws. Every query inside joins it implicitly, and so does a nested
 * transaction(). A transaction the database aborts for a deadlock or a lock
 * wait is run again from the start (bounded, with jittered backoff); if it
 * keeps failing the caller gets 409 CONFLICT (deadlock) or 503 DB_UNAVAILABLE.
 */
export function transaction<T>(work: () => Promise<T>): Promise<T> {
  if (currentTransaction()) return work();
  const attempt = () => db().transaction(() => work());
  const run = async () => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (err) {
        const failure = lockFailureOf(err);
        if (!failure) throw err;
        if (tries >= ATTEMPTS) {
          throw failure === 'deadlock'
            ? new AppError('CONFLICT', 'The change collided with another one at the same moment; please try again', 409)
            : new AppError('DB_UNAVAILABLE', 'The database is busy; please try again shortly', 503);
        }
        await sleep(Math.round((5 + Math.random() * 20) * 2 ** tries));
      }
    }
  };
  if (dialect !== 'sqlite') return run();
  const result = sqliteWriteQueue.then(run, run);
  sqliteWriteQueue = result.catch(() => undefined);
  return result;
}

/** One statement of a pipeline (see pipelined). */
export interface PipelinedStatement {
  sql: string;
  replacements?: Record<string, unknown>;
  type?: QueryTypes;
  /** An INSERT of one row whose new id the statements after it use, written insertedId(name) in their SQL. */
  names?: string;
}

/**
 * The id that the INSERT named `name` (PipelinedStatement.names) created
 * earlier in the same pipeline, as SQL for the statements after it: a
 * session variable set right after that INSERT on MySQL/MariaDB; on SQLite,
 * where the statements run one by one, the id itself, put in before each runs.
 */
export function insertedId(name: string): PipelineId {
  if (!/^\w+$/.test(name)) throw new Error(`pipeline id name ${name}: letters, digits and _ only`);
  return new PipelineId(`@pipeline_${name}`);
}

/** A row's id known now, or one insertedId() of the same pipeline gives. */
export type RowId = number | PipelineId;

/** The id an INSERT earlier in the same pipeline created, as SQL (insertedId). */
class PipelineId {
  constructor(readonly sql: string) {}
}

const isPipelineId = (value: unknown): value is PipelineId => value instanceof PipelineId;

/** A RowId as SQL (an integer checked here, or the pipeline's variable). */
export function rowIdSql(id: RowId): string {
  return typeof id === 'number' ? String(Math.trunc(id)) : id.sql;
}

/**
 * Runs statements of the current transaction back to back, so the row locks
 * the first one takes are held for less time. On MySQL/MariaDB they go out as
 * one multi-statement query (connections have `multipleStatements` on): one
 * network round trip for all of them, run by the server in the order given,
 * stopping at the first that fails (its error rejects the whole call).
 * SQLite (an in-process connection) runs them one after another. Resolves to
 * each statement's result (as db().query gives it: rows for SELECT,
 * otherwise the driver's result header, read with affectedRows()).
 *
 * A statement that changes nothing does not stop the ones after it, and a
 * deadlock ends the transaction, so whatever still followed would run on its
 * own and be committed at once. Every statement after the first that writes
 * must therefore be guarded with afterPrevious() (it then changes nothing
 * unless the statement before it changed rows), and the caller checks every
 * result and throws, rolling all of them back, when one is not as expected.
 * Replacements are inlined per statement (escaped by Sequelize, as for any
 * query), so each statement keeps its own names. A statement can use the id
 * an INSERT before it created (`names`, insertedId()).
 */
export async function pipelined(statements: readonly PipelinedStatement[]): Promise<unknown[]> {
  const replacementsOf = (s: PipelinedStatement) => (s.replacements ? sqlReplacements(s.replacements) : undefined);
  if (dialect === 'sqlite' || (statements.length < 2 && !statements.some((s) => s.names))) {
    const ids: [string, string][] = [];
    const results: unknown[] = [];
    for (const statement of statements) {
      // Whole names only: @pipeline_sale1 is not the start of @pipeline_sale10.
      const sql = ids.reduce((text, [token, id]) => text.replace(new RegExp(`${token}(?!\\w)`, 'g'), id), statement.sql);
      results.push(await db().query(sql, { replacements: replacementsOf(statement), type: statement.type ?? QueryTypes.RAW }));
      if (statement.names) {
        const [row] = await selectRows<{ id: number | string }>(isSqlite() ? 'SELECT last_insert_rowid() AS id' : 'SELECT LAST_INSERT_ID() AS id');
        ids.push([insertedId(statement.names).sql, String(Math.trunc(Number(row.id)))]);
      }
    }
    return results;
  }
  const sequelize = db();
  const sqlDialect = (sequelize as unknown as { dialect: Parameters<typeof injectReplacements>[1] }).dialect;
  // Where each statement's result is among the server's (a named INSERT is followed by the SET of its id).
  const at: number[] = [];
  const parts: string[] = [];
  for (const s of statements) {
    const replacements = replacementsOf(s);
    at.push(parts.length);
    // Sequelize's replacement pass reads the text character by character: only where there is something to put in.
    parts.push(replacements ? injectReplacements(s.sql, sqlDialect, replacements) : s.sql);
    if (s.names) parts.push(`SET ${insertedId(s.names).sql} = LAST_INSERT_ID()`);
  }
  // As RAW, with a leading comment: Sequelize would read a query starting with INSERT as one insert.
  const [results] = (await sequelize.query(`/* pipeline */ ${parts.join(';\n')}`, { type: QueryTypes.RAW })) as [unknown[], unknown];
  return statements.map((s, i) => (s.type === QueryTypes.SELECT ? results[at[i]] : [results[at[i]], results[at[i]]]));
}

/** Rows per multi-row statement of a bulk write (well inside every driver's statement and placeholder limits). */
export const BULK_ROWS = 500;

/** `rows` in slices of at most `size`, for multi-row statements. */
export function inChunks<T>(rows: readonly T[], size = BULK_ROWS): T[][] {
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
}

/** Rows a write changed, as db().query reports it on either dialect (UPDATE and INSERT types). */
export function affectedRows(result: unknown): number {
  const [rows, meta] = result as [unknown, unknown];
  const info = (meta ?? rows) as { affectedRows?: number; changes?: number } | number;
  return typeof info === 'number' ? info : (info?.affectedRows ?? info?.changes ?? 0);
}

/** The id an INSERT of one row created, as db().query or pipelined() gives its result on either dialect. */
export function insertIdOf(result: unknown): number {
  const [rows, meta] = result as [unknown, unknown];
  if (typeof rows === 'number') return rows;
  const info = (rows ?? meta) as { insertId?: number; lastID?: number } | undefined;
  return Number(info?.insertId ?? (meta as { lastID?: number } | undefined)?.lastID ?? info?.lastID);
}

/**
 * SUM(quantity × amount) in whole cents, as SQL over a quantity and a
 * DECIMAL(12,2) money column: on MySQL/MariaDB the exact DECIMAL sum scaled
 * once (rounding every row's amount to cents first took a fifth of a scan of
 * 100,000 products, for the same figure); on SQLite, whose decimals are
 * floats, each row's amount in cents first, so the sum stays an exact integer.
 */
export function centsSum(quantity: string, amount: string): string {
  return dialect === 'sqlite' ? `SUM(${quantity} * ROUND(${amount} * 100))` : `ROUND(SUM(${quantity} * ${amount}) * 100)`;
}

/** A WHERE condition for a pipelined write: true only when the write before it changed rows. */
export function afterPrevious(): string {
  return dialect === 'sqlite' ? 'changes() > 0' : 'ROW_COUNT() > 0';
}

/**
 * Runs reads that must agree with each other (a page's rows and its total) on
 * one snapshot: a REPEATABLE READ transaction on MySQL/MariaDB, a read
 * transaction on SQLite (WAL: writers are not blocked). Inside a transaction
 * it just runs. Inside reportReads() with replicas, the snapshot is taken on
 * a replica (the next one that answers, else the primary): the transaction is
 * the flow's, so every query of `work` runs on its connection.
 */
export function readSnapshot<T>(work: () => Promise<T>): Promise<T> {
  if (currentTransaction()) return work();
  const on = (sequelize: Sequelize) =>
    dialect === 'sqlite' ? sequelize.transaction(() => work()) : sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ }, () => work());
  if (replicas.length && reportScope.getStore()) return fromReplica(on, () => on(db()));
  return on(db());
}

export async function closeDatabase(): Promise<void> {
  const closing = instance;
  const closingReplicas = replicas;
  instance = undefined;
  instanceUrl = undefined;
  replicas = [];
  await Promise.all([closing?.close(), ...closingReplicas.map((r) => r.sequelize.close())]);
}

/** How long an instance waits for another one's start-up (migrations can take minutes on a large database). */
const STARTUP_LOCK_SECONDS = 600;

/** SQLite start-ups in this process run one after the other. */
let startupQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` (migrations, first admin, demo seed) while holding the
 * database's start-up lock, so instances started together on one database
 * do it one after the other and the later ones find it done. On MySQL/MariaDB
 * it is a named lock (GET_LOCK, per database) held on a connection of its
 * own for the whole start-up (so it also orders start-ups within one
 * process); SQLite is single-node, so an in-process queue is enough.
 */
export async function withStartupLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  if (sequelize.getDialect() === 'sqlite') {
    const result = startupQueue.then(work, work);
    startupQueue = result.catch(() => undefined);
    return result;
  }
  // An unmanaged transaction pins one pooled connection (it never writes); the lock belongs to that session.
  const holder = await sequelize.transaction();
  const lock = "CONCAT('stockpilot:start:', MD5(DATABASE()))";
  try {
    const [row] = await sequelize.query<{ got: number | string | null }>(`SELECT GET_LOCK(${lock}, :seconds) AS got`, {
      type: QueryTypes.SELECT,
      replacements: { seconds: STARTUP_LOCK_SECONDS },
      transaction: holder,
    });
    if (Number(row?.got) !== 1) throw new Error(`another instance held the start-up lock for over ${STARTUP_LOCK_SECONDS} s`);
    try {
      return await work();
    } finally {
      await sequelize.query(`SELECT RELEASE_LOCK(${lock})`, { type: QueryTypes.SELECT, transaction: holder });
    }
  } finally {
    await holder.rollback().catch(() => undefined);
  }
}

/**
 * Driver codes of a database that is gone or not answering: the connection
 * was reset or lost, a connect or a statement timed out, or the connection
 * had already failed. The request may work again shortly (503).
 */
const UNAVAILABLE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ESOCKET', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR']);

/** The database failed under the query (not the query itself): 503 DB_UNAVAILABLE rather than 500. */
export function databaseUnavailable(err: unknown): boolean {
  const parent = (err as { parent?: { code?: string; fatal?: boolean } } | null)?.parent;
  if (!parent) return false;
  return (parent.code !== undefined && UNAVAILABLE.has(parent.code)) || parent.fatal === true || lockFailureOf(err) === 'lock-timeout';
}

/** True when `SELECT 1` answers within `withinMs`; a stalled database is "down", not a hung caller. */
export async function pingDatabase(withinMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs);
  });
  const ping = db()
    .query('SELECT 1')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
