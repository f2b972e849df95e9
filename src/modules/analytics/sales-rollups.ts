import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterCommit, afterPrevious, currentTransaction, db, isSqlite, selectRows, sqlDate, transaction, type PipelinedStatement } from '../../db/index.js';
import { now } from '../../shared/clock.js';
import { ReadCache } from '../../shared/read-cache.js';
import { toDate } from '../../db/columns.js';
import { wallTime, zonedToUtc } from '../../shared/time-zone.js';
import { Product } from '../products/product.model.js';

/**
 * Sales rollups: per-day figures (days in the settings time zone) kept in the
 * same transaction as every sale, storefront order and cancellation, so the
 * reports read a few hundred rows instead of rescanning every line.
 *
 *   sales_rollup_days        day: documents, units, revenue (document totals, tax included)
 *   sales_rollup_products    day x product: units, order units, lines, line totals,
 *                            revenue share (tax included), net revenue share, cost of sale lines
 *   sales_rollup_categories  day x product category: units, lines, revenue share
 *   sales_rollup_suppliers   day x supplier (0: none): units, lines, revenue share
 *   sales_rollup_state       the time zone the days are in (one row)
 *
 * Only documents that are not cancelled count; a cancellation subtracts what
 * its document added. Every figure is computed by the database with the same
 * expressions as the base-table aggregates (a line's revenue is its share of
 * the document's tax-included total, DECIMAL to 9 places), so a sum over
 * rollup rows equals the sum over the lines. A product's category and
 * supplier are its current ones (as the reports join them): a product moved to
 * another category or supplier moves its figures with it. An order line's cost
 * is the product's current cost price, so the product rows keep order units
 * and the readers multiply.
 *
 * The state row is read with a shared lock by every write (a time zone
 * change takes it exclusively and rebuilds in its own transaction), so no
 * document is ever dated in a zone the rollups are not in.
 */

export const ROLLUP_TABLES = ['sales_rollup_days', 'sales_rollup_products', 'sales_rollup_categories', 'sales_rollup_suppliers'] as const;

type Run = (sql: string, replacements?: Record<string, unknown>) => Promise<unknown>;

/** `YYYY-MM-DD` of an instant in `timeZone`. */
export function dayKey(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** Local midnight (UTC instant) of a `YYYY-MM-DD` day, `days` later. */
export function dayStartOf(day: string, timeZone: string, days = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  return zonedToUtc({ y, m, d: d + days }, timeZone);
}

/**
 * A line's share of its document's `part` (the total, or the total less tax)
 * as SQL: the line total over the subtotal, DECIMAL to 9 places on
 * MySQL/MariaDB; 0 for a document with nothing to share.
 */
function shareSql(lineTotal: string, part: string, subtotal: string): string {
  return `CASE WHEN ${subtotal} > 0 THEN ${lineTotal} * 1.0 * ${part} / ${subtotal} ELSE 0 END`;
}

/** The lines of sales (alias s) with what the rollups sum; `dayExpr` dates them, `where` picks the sales. */
function saleLines(dayExpr: string, where: string): string {
  return `
    SELECT ${dayExpr} AS day, si.product_id, p.category, COALESCE(p.supplier_id, 0) AS supplier_id, si.quantity, 0 AS order_units, si.line_total,
           ${shareSql('si.line_total', 's.total', 's.subtotal')} AS revenue,
           ${shareSql('si.line_total', '(s.total - s.tax)', 's.subtotal')} AS net_revenue,
           si.unit_cost * si.quantity AS sale_cost
      FROM sale_items si JOIN sales s ON s.id = si.sale_id JOIN products p ON p.id = si.product_id
     WHERE ${where}`;
}

function orderLines(dayExpr: string, where: string): string {
  return `
    SELECT ${dayExpr} AS day, oi.product_id, p.category, COALESCE(p.supplier_id, 0) AS supplier_id, oi.quantity, oi.quantity AS order_units, oi.line_total,
           ${shareSql('oi.line_total', 'o.total', 'o.subtotal')} AS revenue,
           ${shareSql('oi.line_total', '(o.total - o.tax)', 'o.subtotal')} AS net_revenue,
           0 AS sale_cost
      FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id
     WHERE ${where}`;
}

/** `INSERT ... SELECT` that adds to existing rows (both dialects). */
function upsert(table: string, key: string[], columns: string[], select: string, sqlite = isSqlite()): string {
  const all = [...key, ...columns];
  const add = sqlite
    ? `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`
    : `ON DUPLICATE KEY UPDATE ${columns.map((c) => `${table}.${c} = ${table}.${c} + VALUES(${c})`).join(', ')}`;
  return `INSERT INTO ${table} (${all.join(', ')}) ${select} ${add}`;
}

/** The rollups by a product attribute: table, the lines' column, and that column from the product row (alias p). */
const GROUPS = [
  ['sales_rollup_suppliers', 'supplier_id', 'COALESCE(p.supplier_id, 0)'],
  ['sales_rollup_categories', 'category', 'p.category'],
] as const;

/** What each rollup table adds up, after its key. */
const PRODUCT_FIGURES = ['units', 'order_units', 'line_count', 'line_total', 'revenue', 'net_revenue', 'sale_cost'];
const GROUP_FIGURES = ['units', 'line_count', 'revenue'];
const DAY_FIGURES = ['documents', 'units', 'revenue'];

/**
 * The statements that add the documents of `docs` (sales: alias s, orders: o,
 * each with the `lines` and `documents` it picks) times `sign` to every rollup
 * table, in one fixed table and key order (ascending keys: no lock-order deadlocks), the
 * rows most writes share last (the day's totals), so they are held the shortest.
 */
function addStatements(parts: { lines: string; documents: string }[], sign: 1 | -1, sqlite = isSqlite()): string[] {
  // SQLite's upsert needs a WHERE in its SELECT (else ON reads as a join constraint).
  const guard = '1 = 1';
  const lines = parts.map((p) => p.lines).join(' UNION ALL ');
  const documents = parts.map((p) => p.documents).join(' UNION ALL ');
  const n = sign === 1 ? '' : '-';
  return [
    upsert(
      'sales_rollup_products',
      ['day', 'product_id'],
      PRODUCT_FIGURES,
      `SELECT day, product_id, ${n}SUM(quantity), ${n}SUM(order_units), ${n}COUNT(*), ${n}SUM(line_total), ${n}SUM(revenue), ${n}SUM(net_revenue), ${n}SUM(sale_cost)
         FROM (${lines}) l WHERE ${guard} GROUP BY day, product_id ORDER BY day, product_id`,
      sqlite,
    ),
    ...GROUPS.map(([table, column]) =>
      upsert(
        table,
        ['day', column],
        GROUP_FIGURES,
        `SELECT day, ${column}, ${n}SUM(quantity), ${n}COUNT(*), ${n}SUM(revenue) FROM (${lines}) l WHERE ${guard} GROUP BY day, ${column} ORDER BY day, ${column}`,
        sqlite,
      ),
    ),
    upsert(
      'sales_rollup_days',
      ['day'],
      DAY_FIGURES,
      `SELECT day, ${n}SUM(documents), ${n}SUM(units), ${n}SUM(revenue) FROM (
         SELECT day, 1 AS documents, 0 AS units, total AS revenue FROM (${documents}) d
         UNION ALL SELECT day, 0, quantity, 0 FROM (${lines}) l
       ) t WHERE ${guard} GROUP BY day ORDER BY day`,
      sqlite,
    ),
  ];
}

const quoted = (day: string) => `'${day.replace(/[^0-9-]/g, '')}'`;

/** The time zone the rollups are in; inside a transaction read with a shared lock (a zone change waits for the writes). */
async function rollupZone(exclusive = false): Promise<string> {
  const [row] = await selectRows<{ timezone: string }>(zoneSql(exclusive));
  return zoneOf([row]);
}

function zoneSql(exclusive: boolean): string {
  const lock = currentTransaction() && !isSqlite() ? (exclusive ? ' FOR UPDATE' : ' LOCK IN SHARE MODE') : '';
  return `SELECT timezone FROM sales_rollup_state WHERE id = 1${lock}`;
}

const zoneOf = (rows: readonly ({ timezone: string } | undefined)[]) => rows[0]?.timezone ?? 'UTC';

async function addDocument(kind: 'sale' | 'order', id: number, sign: 1 | -1, at?: Date): Promise<void> {
  if (deferred.getStore()) return;
  const zone = await rollupZone();
  const table = kind === 'sale' ? 'sales' : 'orders';
  const created = at ?? toDate((await selectRows<{ created_at: unknown }>(`SELECT created_at FROM ${table} WHERE id = :id`, { id }))[0]?.created_at);
  if (!created) return;
  const day = quoted(dayKey(created, zone));
  const docId = Math.trunc(id);
  // The lines by primary key (a plain read first): INSERT ... SELECT locks the rows it reads, and a
  // search by sale_id would also lock the index gap where the next sale's lines go (serialising sales).
  const items = kind === 'sale' ? 'sale_items' : 'order_items';
  const lineIds = (await selectRows<{ id: number }>(`SELECT id FROM ${items} WHERE ${kind}_id = :id`, { id: docId })).map((r) => Math.trunc(Number(r.id)));
  const idList = lineIds.length ? lineIds.join(',') : 'NULL';
  const part =
    kind === 'sale'
      ? { lines: saleLines(day, `si.id IN (${idList})`), documents: `SELECT ${day} AS day, s.total FROM sales s WHERE s.id = ${docId}` }
      : { lines: orderLines(day, `oi.id IN (${idList})`), documents: `SELECT ${day} AS day, o.total FROM orders o WHERE o.id = ${docId}` };
  for (const sql of addStatements([part], sign)) await db().query(sql);
  // A day before today changed (a cancellation, a backdated document): the cached past days are stale everywhere.
  if (day < quoted(dayKey(now(), zone))) afterCommit(() => pastDays.invalidate());
}

const deferred = new AsyncLocalStorage<true>();

/**
 * Runs a bulk write (the demo seed: a thousand backdated sales in one
 * transaction) without per-document rollup writes, then rebuilds the rollups
 * from what it wrote, in the same transaction: the same figures, a fraction
 * of the statements.
 */
export async function withRollupsDeferred<T>(work: () => Promise<T>): Promise<T> {
  return transaction(async () => {
    const result = await deferred.run(true, work);
    await rebuildSalesRollups(await rollupZone(true));
    return result;
  });
}

/** The rollups' time zone for a document about to be written: read early in its transaction (share-locked until the commit). */
export function rollupZoneForWrite(): Promise<string> {
  return rollupZone();
}

/** rollupZoneForWrite as a statement for the document's first pipeline, and the zone from its rows. */
export function rollupZoneStatement(): { statement: PipelinedStatement; zoneOf(rows: unknown): string } {
  return { statement: { sql: zoneSql(false), type: QueryTypes.SELECT }, zoneOf: (rows) => zoneOf(rows as { timezone: string }[]) };
}

/** What the rollups take of a sale being written: when, its totals, and per line the product, quantity, line total and unit cost. */
export interface RolledSale {
  at: Date;
  subtotal: number;
  tax: number;
  total: number;
  lines: { productId: number; quantity: number; lineTotal: number; unitCost: number }[];
}

/** A money value as the DECIMAL(12,2) a sales column holds (NUMERIC affinity on SQLite): the same arithmetic as on the stored rows. */
const money = (value: number) => {
  if (!Number.isFinite(value)) throw new Error(`rollup value ${value} is not a number`);
  return `CAST(${value.toFixed(2)} AS DECIMAL(12,2))`;
};

/** SQL adding terms up (one term as it is). */
const sum = (terms: string[]) => (terms.length === 1 ? terms[0] : `(${terms.join(' + ')})`);

/** One day's figures of the sales being written, per product and in total, as SQL terms. */
interface DayFigures {
  products: Map<number, { units: number; count: number; lineTotal: string[]; revenue: string[]; net: string[]; cost: string[] }>;
  documents: number;
  units: number;
  totals: string[];
}

/**
 * The statements that add sales being written (one sale, or a batch in one
 * transaction) to the rollups, for the pipeline after their stock changes
 * (see pipelined): the values come from the app (the same shareSql as
 * saleLines, on the same DECIMAL(12,2) values, so the rebuild gives the same
 * sums), not read back from their lines, and the category and supplier are
 * read from the product rows the stock changes have just locked (a category
 * move waits for the commit). One statement per table for all the sales,
 * keys in ascending order, the days' totals last (no lock-order deadlocks);
 * the first is guarded on the write before it, each on the one before it.
 */
export function saleRollupStatements(sales: readonly RolledSale[], zone: string): PipelinedStatement[] {
  if (deferred.getStore()) return [];
  const byDay = new Map<string, DayFigures>();
  for (const sale of sales) {
    if (!sale.lines.length) continue;
    const key = dayKey(sale.at, zone);
    const day: DayFigures = byDay.get(key) ?? { products: new Map(), documents: 0, units: 0, totals: [] };
    byDay.set(key, day);
    const [subtotal, total, tax] = [money(sale.subtotal), money(sale.total), money(sale.tax)];
    day.documents += 1;
    day.totals.push(total);
    for (const line of sale.lines) {
      const id = Math.trunc(line.productId);
      const quantity = Math.trunc(line.quantity);
      const p = day.products.get(id) ?? { units: 0, count: 0, lineTotal: [], revenue: [], net: [], cost: [] };
      day.products.set(id, p);
      p.units += quantity;
      p.count += 1;
      p.lineTotal.push(money(line.lineTotal));
      p.revenue.push(shareSql(money(line.lineTotal), total, subtotal));
      p.net.push(shareSql(money(line.lineTotal), `(${total} - ${tax})`, subtotal));
      p.cost.push(`${money(line.unitCost)} * ${quantity}`);
      day.units += quantity;
    }
  }
  if (!byDay.size) return [];
  const sqlite = isSqlite();
  const guard = afterPrevious();
  const fromNothing = sqlite ? '' : ' FROM DUAL';
  const days = [...byDay.keys()].sort();
  const today = dayKey(now(), zone);
  if (days[0] < today) afterCommit(() => pastDays.invalidate());
  const rowsOf = (rows: string[], columns: string, order: string) =>
    rows.length === 1 ? `${rows[0]}${fromNothing} WHERE ${guard}` : `SELECT ${columns} FROM (${rows.join(' UNION ALL ')}) l WHERE ${guard} ORDER BY ${order}`;
  const productRows = days.flatMap((key) =>
    [...byDay.get(key)!.products.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, p]) => ({ day: quoted(key), id, ...p })),
  );
  const productSelects = productRows.map((p, i) => {
    const as = (name: string) => (i === 0 ? ` AS ${name}` : '');
    return `SELECT ${p.day}${as('day')}, ${p.id}${as('product_id')}, ${p.units}${as('units')}, 0${as('order_units')}, ${p.count}${as('line_count')}, ${sum(p.lineTotal)}${as('line_total')}, ${sum(p.revenue)}${as('revenue')}, ${sum(p.net)}${as('net_revenue')}, ${sum(p.cost)}${as('sale_cost')}`;
  });
  // Per day and product in one statement: the product rows give their category and supplier, the CASE their figures.
  const grouped = (column: string) => {
    const selects = days.map((key) => {
      const products = [...byDay.get(key)!.products.entries()];
      const each = (value: (p: (typeof products)[number][1]) => string | number) => `CASE p.id ${products.map(([id, p]) => `WHEN ${id} THEN ${value(p)}`).join(' ')} END`;
      return `SELECT ${quoted(key)} AS day, ${column} AS grouped_by, ${each((p) => p.units)} AS units, ${each((p) => p.count)} AS line_count, ${each((p) => sum(p.revenue))} AS revenue FROM products p WHERE p.id IN (${products.map(([id]) => id).join(', ')}) AND ${guard}`;
    });
    return selects.length === 1 ? `${selects[0]} ORDER BY grouped_by, p.id` : `SELECT * FROM (${selects.join(' UNION ALL ')}) g WHERE 1 = 1 ORDER BY day, grouped_by`;
  };
  const daySelects = days.map((key, i) => {
    const d = byDay.get(key)!;
    return i === 0 ? `SELECT ${quoted(key)} AS day, ${d.documents} AS documents, ${d.units} AS units, ${sum(d.totals)} AS revenue` : `SELECT ${quoted(key)}, ${d.documents}, ${d.units}, ${sum(d.totals)}`;
  });
  return [
    upsert('sales_rollup_products', ['day', 'product_id'], PRODUCT_FIGURES, rowsOf(productSelects, `day, product_id, ${PRODUCT_FIGURES.join(', ')}`, 'day, product_id'), sqlite),
    ...GROUPS.map(([table, column, fromProduct]) => upsert(table, ['day', column], GROUP_FIGURES, grouped(fromProduct), sqlite)),
    upsert('sales_rollup_days', ['day'], DAY_FIGURES, rowsOf(daySelects, `day, ${DAY_FIGURES.join(', ')}`, 'day'), sqlite),
  ].map((sql) => ({ sql, type: QueryTypes.INSERT }));
}

/**
 * Per-product sums of whole past days, cached: today's sales change only
 * today's rows, so a range ending after today reads its past days once
 * (until a past day changes on any instance: a cancellation, a backdated
 * document, a rebuild) and only today's rows per request.
 */
export const pastDays = new ReadCache<Map<number, { units: number; cents: number; lines: number }>>({ name: 'salesRollupPastDays', max: 8, ttlMs: 6 * 3_600_000 });

/**
 * Adds a sale just written (sign 1, with its lines) or subtracts one being
 * cancelled (sign -1) to the rollups, in the caller's transaction.
 * `at` (the sale's date) saves a read when the caller has it.
 */
export function rollUpSale(saleId: number, sign: 1 | -1 = 1, at?: Date): Promise<void> {
  return addDocument('sale', saleId, sign, at);
}

/** The same for a storefront order (placed: 1, cancelled: -1). */
export function rollUpOrder(orderId: number, sign: 1 | -1 = 1, at?: Date): Promise<void> {
  return addDocument('order', orderId, sign, at);
}

/**
 * A product moved to another category or supplier takes its figures along
 * (the reports group by the product's current category and supplier), in
 * the transaction of the change.
 */
export async function moveProductRollups(productId: number, from: { category: string; supplierId: number | null }, to: { category: string; supplierId: number | null }): Promise<void> {
  const id = Math.trunc(productId);
  const moves: [string, string, unknown, unknown][] = [];
  // The order of addStatements (suppliers, then categories).
  if ((from.supplierId ?? 0) !== (to.supplierId ?? 0)) moves.push(['sales_rollup_suppliers', 'supplier_id', from.supplierId ?? 0, to.supplierId ?? 0]);
  if (from.category !== to.category) moves.push(['sales_rollup_categories', 'category', from.category, to.category]);
  for (const [table, column, before, after] of moves) {
    for (const [value, n] of [[before, '-'], [after, '']] as const) {
      await db().query(
        upsert(table, ['day', column], ['units', 'line_count', 'revenue'], `SELECT day, :value, ${n}units, ${n}line_count, ${n}revenue FROM sales_rollup_products WHERE product_id = ${id} ORDER BY day`),
        { replacements: { value } },
      );
    }
  }
}

/** Called once the models are initialised (buildApp): every product save that changes its category or supplier moves its figures (same transaction); this instance's cached past days are dropped. */
export function watchProductMoves(): void {
  pastDays.clear();
  Product.removeHook('afterUpdate', 'salesRollups');
  Product.addHook('afterUpdate', 'salesRollups', async (product: Product) => {
    if (!product.changed('category') && !product.changed('supplierId')) return;
    const before = { category: product.previous('category') ?? product.category, supplierId: (product.previous('supplierId') as number | null | undefined) ?? null };
    const supplierBefore = product.changed('supplierId') ? before.supplierId : product.supplierId;
    await moveProductRollups(product.id, { category: before.category, supplierId: supplierBefore }, { category: product.category, supplierId: product.supplierId });
  });
}

/** Days `[first, end)` per chunk of the rebuild: a CASE per chunk dates the documents. */
const CHUNK_DAYS = 31;

/**
 * Fills empty rollup tables from the base tables for `timeZone`, a chunk of
 * days per statement. `run` executes on the connection (and transaction) the
 * caller chose: the migration's, or the rebuild's.
 */
async function fill(run: Run, select: <T extends object>(sql: string, replacements?: Record<string, unknown>) => Promise<T[]>, timeZone: string, sqlite: boolean): Promise<void> {
  const [range] = await select<{ first: unknown; last: unknown }>(
    `SELECT MIN(first) AS first, MAX(last) AS last FROM (
       SELECT MIN(created_at) AS first, MAX(created_at) AS last FROM sales WHERE status <> 'cancelled'
       UNION ALL SELECT MIN(created_at), MAX(created_at) FROM orders WHERE status <> 'cancelled') t`,
  );
  const first = toDate(range?.first);
  const last = toDate(range?.last);
  if (!first || !last) return;
  const lastDay = dayKey(last, timeZone);
  for (let day = dayKey(first, timeZone); day <= lastDay; day = dayKey(dayStartOf(day, timeZone, CHUNK_DAYS), timeZone)) {
    const starts = Array.from({ length: CHUNK_DAYS + 1 }, (_, i) => dayStartOf(day, timeZone, i));
    const dayOf = (column: string) =>
      `CASE ${starts
        .slice(1, -1)
        .map((start, i) => `WHEN ${column} < '${sqlDate(start)}' THEN ${quoted(dayKey(starts[i], timeZone))}`)
        .join(' ')} ELSE ${quoted(dayKey(starts[CHUNK_DAYS - 1], timeZone))} END`;
    const from = `'${sqlDate(starts[0])}'`;
    const to = `'${sqlDate(starts[CHUNK_DAYS])}'`;
    const parts = [
      {
        lines: saleLines(dayOf('s.created_at'), `s.status <> 'cancelled' AND s.created_at >= ${from} AND s.created_at < ${to} AND si.created_at >= ${from} AND si.created_at < ${to}`),
        documents: `SELECT ${dayOf('s.created_at')} AS day, s.total FROM sales s WHERE s.status <> 'cancelled' AND s.created_at >= ${from} AND s.created_at < ${to}`,
      },
      {
        lines: orderLines(dayOf('o.created_at'), `o.status <> 'cancelled' AND o.created_at >= ${from} AND o.created_at < ${to}`),
        documents: `SELECT ${dayOf('o.created_at')} AS day, o.total FROM orders o WHERE o.status <> 'cancelled' AND o.created_at >= ${from} AND o.created_at < ${to}`,
      },
    ];
    for (const sql of addStatements(parts, 1, sqlite)) await run(sql);
  }
}

/** Empties the rollups and fills them again for `timeZone` (the migration's fill; runs on `sequelize` directly). */
export async function fillSalesRollups(sequelize: Sequelize, timeZone: string): Promise<void> {
  const run: Run = (sql, replacements) => sequelize.query(sql, { replacements });
  const select = <T extends object>(sql: string, replacements?: Record<string, unknown>) => sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const sqlite = sequelize.getDialect() === 'sqlite';
  for (const table of ROLLUP_TABLES) await run(`DELETE FROM ${table}`);
  await run(`${sqlite ? 'INSERT OR REPLACE' : 'REPLACE'} INTO sales_rollup_state (id, timezone) VALUES (1, :tz)`, { tz: timeZone });
  await fill(run, select, timeZone, sqlite);
}

/**
 * Rebuilds every rollup from the base tables for `timeZone`, in one
 * transaction (joined when the caller has one): the state row is taken
 * exclusively first, so sales and orders wait and then date by the new zone.
 */
export async function rebuildSalesRollups(timeZone: string): Promise<void> {
  await transaction(async () => {
    await db().query(`${isSqlite() ? 'INSERT OR REPLACE' : 'REPLACE'} INTO sales_rollup_state (id, timezone) VALUES (1, :tz)`, { replacements: { tz: timeZone } });
    for (const table of ROLLUP_TABLES) await db().query(`DELETE FROM ${table}`);
    await fill((sql, replacements) => db().query(sql, { replacements }), selectRows, timeZone, isSqlite());
    afterCommit(() => pastDays.invalidate());
  });
}

/** After the time zone setting changed (in its transaction): rebuilds when the rollups are in another zone. */
export async function rollupsFollowTimeZone(timeZone: string): Promise<void> {
  if ((await rollupZone(true)) !== timeZone) await rebuildSalesRollups(timeZone);
}

/**
 * How a `[from, to)` range is read: whole days `[firstDay, endDay)` from the
 * rollups, the partial days at its edges from the base tables. When the
 * rollups are in another zone than `timeZone` (a zone change not yet seen
 * here), everything is read from the base tables.
 */
export interface RollupSplit {
  /** Whole days, `endDay` exclusive (undefined: no upper bound); null: none. */
  days: { firstDay: string; endDay?: string } | null;
  /** Ranges to aggregate from the base tables. */
  edges: { from: Date; to: Date }[];
}

const FAR_FUTURE = new Date('9999-01-01T00:00:00.000Z');
/** How far back a range's end still counts as the present (see splitRange). */
const PRESENT_MS = 60_000;

/**
 * `[from, until)` (no upper bound when `until` is undefined) as the whole
 * days of `timeZone` the rollups hold and the partial days at its edges for
 * the base tables; all of it base tables when the rollups are in another zone.
 */
export async function splitRange(from: Date, until: Date | undefined, timeZone: string): Promise<RollupSplit> {
  const end = until ?? FAR_FUTURE;
  // Nothing is dated later than now: a range reaching the present (ending at most a minute ago: callers pass
  // the clock as they read it a moment before) reads today whole from its rollup row, not today's lines.
  const toDay = until && dayKey(until, timeZone);
  const present = until && until.getTime() >= now().getTime() - PRESENT_MS;
  const to = present && toDay && dayStartOf(toDay, timeZone).getTime() < until.getTime() ? dayStartOf(toDay, timeZone, 1) : until;
  if (end.getTime() <= from.getTime()) return { days: null, edges: [] };
  if ((await rollupZone()) !== timeZone) return { days: null, edges: [{ from, to: end }] };
  const fromDay = dayKey(from, timeZone);
  const firstDay = dayStartOf(fromDay, timeZone).getTime() === from.getTime() ? fromDay : dayKey(dayStartOf(fromDay, timeZone, 1), timeZone);
  const firstStart = dayStartOf(firstDay, timeZone);
  if (!to) return { days: { firstDay }, edges: firstStart > from ? [{ from, to: firstStart }] : [] };
  const endDay = dayKey(to, timeZone);
  const endStart = dayStartOf(endDay, timeZone);
  if (endDay <= firstDay) return { days: null, edges: [{ from, to }] };
  const edges = [];
  if (firstStart > from) edges.push({ from, to: firstStart });
  if (to > endStart) edges.push({ from: endStart, to });
  return { days: { firstDay, endDay }, edges };
}

/** The SQL condition on `day` of a split's whole days (with its replacements). */
export function daysCondition(split: RollupSplit, prefix = 'rd'): { sql: string; replacements: Record<string, string> } {
  if (!split.days) return { sql: '1 = 0', replacements: {} };
  const replacements: Record<string, string> = { [`${prefix}First`]: split.days.firstDay };
  let sql = `day >= :${prefix}First`;
  if (split.days.endDay) {
    replacements[`${prefix}End`] = split.days.endDay;
    sql += ` AND day < :${prefix}End`;
  }
  return { sql, replacements };
}

/**
 * A base-table query (written with `:from` and `:to`) once per edge of the
 * split, joined by UNION ALL, with its replacements; `null` when there is no edge.
 */
export function perEdge(split: RollupSplit, sql: string, prefix = 'e'): { sql: string; replacements: Record<string, Date> } | null {
  if (!split.edges.length) return null;
  const replacements: Record<string, Date> = {};
  const parts = split.edges.map((edge, i) => {
    replacements[`${prefix}${i}From`] = edge.from;
    replacements[`${prefix}${i}To`] = edge.to;
    return sql.replace(/:from\b/g, `:${prefix}${i}From`).replace(/:to\b/g, `:${prefix}${i}To`);
  });
  return { sql: parts.join(' UNION ALL '), replacements };
}
