import { QueryTypes } from 'sequelize';
import { afterCommitOnce, affectedRows, afterPrevious, db, inChunks, insertIdOf, isSqlite, pipelined, rowIdSql, sqlDate, sqlReplacements, transaction, valuesSql, type PipelinedStatement, type RowId } from '../../db/index.js';
import { insufficientStock, notFound } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { Product } from '../products/product.model.js';
import { defaultLocation } from '../locations/location.service.js';
import { StockLevel } from './stock-level.model.js';
import { StockMovement, type AdjustmentReason, type MovementReason } from './stock-movement.model.js';

export interface StockLine {
  productId: number;
  delta: number;
  /** Where the stock changes; the default location when absent. */
  locationId?: number;
}

export interface MovementContext {
  reason: MovementReason;
  referenceType?: string;
  referenceId?: number;
  userId?: number | null;
  adjustmentReason?: AdjustmentReason;
  note?: string | null;
  /** When the change happened (defaults to now; seeders and imports backdate). */
  at?: Date;
}

/** A listener's reaction to a change of these products' stock; `read` holds its reads' rows when they went out with the change. */
type StockListener = (productIds: number[], read?: unknown[]) => Promise<void>;
/** Products' total stock after each change of a history, in order (see applyStockHistory). */
export type StockSteps = { productId: number; stock: number }[][];
type HistoryListener = (steps: StockSteps) => Promise<void>;
/** What a listener reads about the changed products, sent in the change's own pipeline right after its writes. */
type StockReads = (productIds: number[]) => PipelinedStatement[];
const listeners: { changed: StockListener; history?: HistoryListener; reads?: StockReads }[] = [];

/**
 * Runs inside the transaction of every stock change, after its ledger rows
 * (the low-stock alert check): what it writes commits or rolls back with the
 * change, so no crash between two commits can lose it. For a history written
 * in one go (applyStockHistory), `history` gets every change's stock in
 * order; without it, `listener` runs once with every product the history changed.
 * With `reads`, a change made by stockChangeStatements sends them after its
 * writes, in the same round trip, and passes their rows to `listener` (other
 * changes call it without: it reads for itself).
 */
export function onStockChanged(listener: StockListener, history?: HistoryListener, reads?: StockReads): void {
  listeners.push({ changed: listener, history, reads });
}

const committed = new Set<() => unknown>();
/** Transactions whose commit already runs the committed listeners. */

/**
 * Runs at once, inside the commit, when a transaction that changed stock
 * commits: for read caches that must never serve stock older than a commit
 * (stock is written with plain SQL, so model hooks do not see it).
 */
export function onStockCommitted(listener: () => unknown): void {
  committed.add(listener);
}

/** A line's place: its location, or the default one. */
type PlacedLine = Required<StockLine>;

/**
 * The same product and location twice becomes one line; zero deltas vanish;
 * lines run in (product id, location id) order, so racing writers always take
 * their row locks in the same order and never deadlock.
 */
export function normaliseLines(lines: PlacedLine[]): PlacedLine[] {
  const merged = new Map<string, PlacedLine>();
  for (const { productId, locationId, delta } of lines) {
    const key = `${productId}:${locationId}`;
    const line = merged.get(key);
    if (line) line.delta += delta;
    else merged.set(key, { productId, locationId, delta });
  }
  return [...merged.values()].filter((l) => l.delta !== 0).sort((a, b) => a.productId - b.productId || a.locationId - b.locationId);
}

/**
 * Adds a positive delta to a stock level, creating it at the first unit (one
 * statement, under the row's lock); pipelined after the product's update, so
 * guarded by it (afterPrevious).
 */
function addToLevelSql(): string {
  const insert = `INSERT INTO stock_levels (product_id, location_id, quantity, created_at, updated_at) SELECT :productId, :locationId, :delta, :at, :at`;
  return isSqlite()
    ? `${insert} WHERE ${afterPrevious()} ON CONFLICT (product_id, location_id) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at`
    : `${insert} FROM DUAL WHERE ${afterPrevious()} ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity), updated_at = VALUES(updated_at)`;
}

/** INSUFFICIENT_STOCK for a short line; `known` is what is available when the database does not hold it yet (a history being written). */
async function shortage(line: PlacedLine, scope: 'total' | 'location', known?: number): Promise<never> {
  const product = await Product.findByPk(line.productId, { attributes: ['id', 'name', 'sku', 'stock'] });
  if (!product) throw notFound(`Product ${line.productId}`);
  const [level] = await db().query<{ quantity: number | string; code: string }>(
    'SELECT COALESCE(l.quantity, 0) AS quantity, c.code FROM locations c LEFT JOIN stock_levels l ON l.location_id = c.id AND l.product_id = :productId WHERE c.id = :locationId',
    { type: QueryTypes.SELECT, replacements: line },
  );
  const available = known ?? (scope === 'total' ? product.stock : Number(level?.quantity ?? 0));
  const where = level ? ` at ${level.code}` : '';
  throw insufficientStock(`Insufficient stock for '${product.name}' (${product.sku})${where}: requested ${-line.delta}, available ${available}`, [
    { path: `product.${line.productId}`, message: `requested ${-line.delta}, available ${available}${where}` },
  ]);
}

/**
 * The only code that changes stock. Inside the caller's transaction (joined
 * implicitly; one of its own when there is none), each line, at its location
 * (the default one when it names none), changes the product's total and its
 * stock level there with guarded statements (neither ever below zero), then
 * writes one ledger row with that location's balance after it. Any short
 * line throws INSUFFICIENT_STOCK, so the caller's whole transaction rolls back.
 * Per line the product row is locked before its stock level, and lines run in
 * (product, location) order: racing writers queue, they never deadlock.
 */
export function applyStockChanges(lines: StockLine[], context: MovementContext): Promise<StockMovement[]> {
  return transaction(() => applyInTransaction(lines, context));
}

/** The lines placed (the default location for those naming none) and normalised. */
function placeLines(lines: StockLine[], fallback: number): PlacedLine[] {
  return normaliseLines(lines.map((l) => ({ productId: l.productId, delta: Math.trunc(l.delta), locationId: l.locationId || fallback })));
}

/** The default location's id when a line names no location (0 when every line names one). */
async function fallbackFor(lines: StockLine[]): Promise<number> {
  return lines.some((l) => !l.locationId) ? (await defaultLocation()).id : 0;
}

/** The ledger row of one line of a change: the delta and its location's balance after it. */
function ledgerRow(line: PlacedLine, balanceAfter: number, context: MovementContext, at: Date) {
  return {
    productId: line.productId,
    locationId: line.locationId,
    delta: line.delta,
    balanceAfter,
    reason: context.reason,
    adjustmentReason: context.adjustmentReason ?? null,
    note: context.note ?? null,
    referenceType: context.referenceType ?? null,
    referenceId: context.referenceId ?? null,
    userId: context.userId ?? null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Read caches learn of the commit once per transaction, however many stock changes it makes (a seed makes thousands). */
function notifyOnCommit(): void {
  afterCommitOnce(committed, () => Promise.all([...committed].map((listener) => listener())));
}

/**
 * A stock change as statements for the caller's pipeline (see pipelined),
 * with what to do once it ran: for each line, at its location, the guarded
 * total and the guarded level (neither ever below zero), then its ledger row
 * with that level's balance after it, each write guarded on the one before
 * it (the reference may be an id created earlier in the pipeline, insertedId). `settle` reads their results: a short line throws INSUFFICIENT_STOCK
 * (the caller's transaction rolls back), else the stock listeners run. The
 * first statement is not guarded: whatever precedes it in the pipeline must
 * fail rather than change nothing. Per line the product row is locked before
 * its stock level, and lines run in (product, location) order: racing
 * writers queue, they never deadlock. The stock listeners' reads follow the
 * writes (see onStockChanged); `writes` is how many statements come before them.
 */
export async function stockChangeStatements(lines: StockLine[], context: Omit<MovementContext, 'referenceId'> & { referenceId?: RowId }): Promise<{ statements: PipelinedStatement[]; writes: number; settle(results: unknown[]): Promise<void> }> {
  const at = context.at ?? now();
  const placed = placeLines(lines, await fallbackFor(lines));
  const guard = afterPrevious();
  const referenceSql = context.referenceId === undefined ? 'NULL' : rowIdSql(context.referenceId);
  const ledger = (line: PlacedLine) => ({ ...ledgerRow(line, 0, { ...context, referenceId: undefined }, at), at });
  const writes = placed.flatMap((line, i): PipelinedStatement[] => {
    const replacements = { ...line, at };
    return [
      { sql: `UPDATE products SET stock = stock + :delta, updated_at = :at WHERE id = :productId AND stock + :delta >= 0${i > 0 ? ` AND ${guard}` : ''}`, replacements, type: QueryTypes.UPDATE },
      line.delta > 0
        ? { sql: addToLevelSql(), replacements, type: QueryTypes.INSERT }
        : { sql: `UPDATE stock_levels SET quantity = quantity + :delta, updated_at = :at WHERE product_id = :productId AND location_id = :locationId AND quantity + :delta >= 0 AND ${guard}`, replacements, type: QueryTypes.UPDATE },
      {
        sql: `INSERT INTO stock_movements (product_id, location_id, delta, balance_after, reason, adjustment_reason, note, reference_type, reference_id, user_id, created_at, updated_at)
              SELECT :productId, :locationId, :delta, quantity, :reason, :adjustmentReason, :note, :referenceType, ${referenceSql}, :userId, :at, :at
                FROM stock_levels WHERE product_id = :productId AND location_id = :locationId AND ${guard}`,
        replacements: ledger(line),
        type: QueryTypes.INSERT,
      },
    ];
  });
  const productIds = [...new Set(placed.map((l) => l.productId))];
  const reads = listeners.map((listener) => (placed.length && listener.reads ? listener.reads(productIds) : []));
  const settle = async (results: unknown[]) => {
    // Only the first short write tells: every write after it was skipped by its guard.
    const firstShort = writes.findIndex((_, i) => affectedRows(results[i]) < 1);
    if (firstShort >= 0) {
      const line = placed[Math.floor(firstShort / 3)];
      if (!(await Product.findByPk(line.productId, { attributes: ['id'] }))) throw notFound(`Product ${line.productId}`);
      if (firstShort % 3 === 2) throw new Error(`the ledger row of product ${line.productId} was not written`);
      await shortage(line, firstShort % 3 === 0 ? 'total' : 'location');
    }
    if (!placed.length) return;
    let next = writes.length;
    for (const [i, listener] of listeners.entries()) {
      const rows = results.slice(next, (next += reads[i].length));
      await listener.changed(productIds, reads[i].length ? rows : undefined);
    }
    notifyOnCommit();
  };
  return { statements: [...writes, ...reads.flat()], writes: writes.length, settle };
}

/** A product's total as read under lock, and how a history or batch has moved it since. */
interface CountedTotal {
  stock: number;
  delta: number;
  at?: Date;
}
/** A (product, location) level as read under lock (`exists`), and how a history or batch has moved it since. */
interface CountedLevel {
  productId: number;
  locationId: number;
  quantity: number;
  delta: number;
  exists: boolean;
  createdAt?: Date;
  at?: Date;
}
/** Stock read under lock, counted in memory change by change (see countChange). */
interface CountedStock {
  totals: Map<number, CountedTotal>;
  levels: Map<string, CountedLevel>;
}

/** The reads of these products' totals and levels with their rows locked until the commit (FOR UPDATE, in id order; SQLite has one writer). */
function stockLockStatements(ids: number[]): PipelinedStatement[] {
  const lock = isSqlite() ? '' : ' FOR UPDATE';
  return [
    { sql: `SELECT id, stock FROM products WHERE id IN (:ids) ORDER BY id${lock}`, replacements: { ids }, type: QueryTypes.SELECT },
    { sql: `SELECT product_id, location_id, quantity FROM stock_levels WHERE product_id IN (:ids) ORDER BY product_id, location_id${lock}`, replacements: { ids }, type: QueryTypes.SELECT },
  ];
}

/** The products' totals and levels as read under lock, nothing counted yet. */
function countedStock(products: { id: number | string; stock: number | string }[], levels: { product_id: number | string; location_id: number | string; quantity: number | string }[]): CountedStock {
  const counted: CountedStock = { totals: new Map(), levels: new Map() };
  for (const p of products) counted.totals.set(Number(p.id), { stock: Number(p.stock), delta: 0 });
  for (const l of levels) {
    counted.levels.set(`${l.product_id}:${l.location_id}`, { productId: Number(l.product_id), locationId: Number(l.location_id), quantity: Number(l.quantity), delta: 0, exists: true });
  }
  return counted;
}

/**
 * One change (placed, normalised lines) counted in memory by the rules the
 * guarded statements keep, the lines one after another: never below zero in
 * total or at the location, else INSUFFICIENT_STOCK and nothing of it is
 * counted. Gives the lines with each one's location balance after it, for
 * their ledger rows.
 */
async function countChange(counted: CountedStock, placed: PlacedLine[], at: Date): Promise<{ line: PlacedLine; balance: number }[]> {
  const after = new Map<number, number>();
  for (const line of placed) {
    const total = counted.totals.get(line.productId);
    if (!total) throw notFound(`Product ${line.productId}`);
    const stock = after.get(line.productId) ?? total.stock;
    const level = counted.levels.get(`${line.productId}:${line.locationId}`)?.quantity ?? 0;
    if (stock + line.delta < 0) await shortage(line, 'total', stock);
    if (level + line.delta < 0) await shortage(line, 'location', level);
    after.set(line.productId, stock + line.delta);
  }
  return placed.map((line) => {
    const total = counted.totals.get(line.productId)!;
    Object.assign(total, { stock: total.stock + line.delta, delta: total.delta + line.delta, at });
    const key = `${line.productId}:${line.locationId}`;
    const level = counted.levels.get(key) ?? { productId: line.productId, locationId: line.locationId, quantity: 0, delta: 0, exists: false, createdAt: at };
    Object.assign(level, { quantity: level.quantity + line.delta, delta: level.delta + line.delta, at });
    counted.levels.set(key, level);
    return { line, balance: level.quantity };
  });
}

/** A stock change whose reference may be the id an INSERT earlier in the same pipeline created (insertedId). */
export type PipelinedContext = Omit<MovementContext, 'referenceId'> & { referenceId?: RowId };

/** The statements of the changes a StockBook took, for the caller's pipeline, and the check of their results. */
export interface StockWrites {
  /** Guarded writes, each after the caller's write before it: the totals, the levels, the ledger rows. */
  writes: PipelinedStatement[];
  /** The stock listeners' reads, for after every write of the pipeline. */
  reads: PipelinedStatement[];
  /** Checks that every row was written (else throws: the caller rolls back), then runs the stock listeners. */
  settle(writeResults: unknown[], readResults: unknown[]): Promise<void>;
}

/** What is in stock, read under lock, for changes checked in memory before any is written (see lockedStock). */
export interface StockBook {
  /**
   * Checks a change (each line at its location) as the guarded statements
   * would: never below zero in total or at the location, else
   * INSUFFICIENT_STOCK and nothing of it counts. Otherwise counts it, with
   * its ledger rows and their balances, so the next change sees what it left.
   */
  take(lines: Required<StockLine>[], context: PipelinedContext): Promise<void>;
  /** Every change taken, in order, as a few multi-row statements (see StockWrites); none when nothing was taken. */
  statements(): StockWrites;
}

/**
 * The stock of these products and of their levels, read with the rows locked
 * until the commit (`FOR UPDATE`, in id order as every writer takes them;
 * SQLite has one writer), for a transaction that checks many changes in
 * memory before it writes any (a batch of sales: a short one is refused alone
 * and the others are written whole). `statements` go in the caller's read
 * pipeline; `bookOf` reads their rows.
 */
export function lockedStock(productIds: number[]): { statements: PipelinedStatement[]; bookOf(results: unknown[]): StockBook } {
  const statements = stockLockStatements([...new Set(productIds.map((id) => Math.trunc(id)))].sort((a, b) => a - b));
  const bookOf = ([productRows, levelRows]: unknown[]): StockBook => {
    const counted = countedStock(productRows as Parameters<typeof countedStock>[0], levelRows as Parameters<typeof countedStock>[1]);
    const { totals, levels } = counted;
    const ledger: unknown[][] = [];
    return {
      async take(change, context) {
        const at = context.at ?? now();
        const lines = normaliseLines(change.map((l) => ({ productId: l.productId, locationId: l.locationId, delta: Math.trunc(l.delta) })));
        for (const { line, balance } of await countChange(counted, lines, at)) {
          const row = ledgerRow(line, balance, { ...context, referenceId: undefined }, at);
          ledger.push([row.productId, row.locationId, row.delta, row.balanceAfter, row.reason, row.adjustmentReason, row.note, row.referenceType, context.referenceId ?? null, row.userId, at, at]);
        }
      },
      statements() {
        const guard = afterPrevious();
        const products = [...totals].filter(([, t]) => t.delta !== 0);
        const changed = [...levels.values()].filter((l) => l.exists && l.at);
        const created = [...levels.values()].filter((l) => !l.exists && l.at);
        const date = (d: Date) => db().escape(sqlDate(d));
        const writes: PipelinedStatement[] = [];
        if (products.length) {
          const delta = `CASE id ${products.map(([id, t]) => `WHEN ${id} THEN ${t.delta}`).join(' ')} END`;
          const at = `CASE id ${products.map(([id, t]) => `WHEN ${id} THEN ${date(t.at!)}`).join(' ')} END`;
          writes.push({ sql: `UPDATE products SET stock = stock + ${delta}, updated_at = ${at} WHERE id IN (${products.map(([id]) => id).join(', ')}) AND stock + ${delta} >= 0 AND ${guard}`, type: QueryTypes.UPDATE });
        }
        const moved = changed.filter((l) => l.delta !== 0);
        if (moved.length) {
          const each = (value: (l: (typeof moved)[number]) => string | number) => `CASE ${moved.map((l) => `WHEN product_id = ${l.productId} AND location_id = ${l.locationId} THEN ${value(l)}`).join(' ')} END`;
          const delta = each((l) => l.delta);
          const ids = [...new Set(moved.map((l) => l.productId))].join(', ');
          writes.push({ sql: `UPDATE stock_levels SET quantity = quantity + ${delta}, updated_at = ${each((l) => date(l.at!))} WHERE product_id IN (${ids}) AND ${delta} IS NOT NULL AND quantity + ${delta} >= 0 AND ${guard}`, type: QueryTypes.UPDATE });
        }
        if (created.length) {
          const rows = created.map((l) => [l.productId, l.locationId, l.quantity, l.at, l.at]);
          writes.push({ sql: `INSERT INTO stock_levels (product_id, location_id, quantity, created_at, updated_at) VALUES ${valuesSql(rows)}`, type: QueryTypes.INSERT });
        }
        if (ledger.length) {
          writes.push({
            sql: `INSERT INTO stock_movements (product_id, location_id, delta, balance_after, reason, adjustment_reason, note, reference_type, reference_id, user_id, created_at, updated_at) VALUES ${valuesSql(ledger)}`,
            type: QueryTypes.INSERT,
          });
        }
        const expected = [products.length, moved.length, created.length, ledger.length].filter((n) => n > 0);
        const productIds = products.map(([id]) => id);
        const reads = listeners.map((listener) => (productIds.length && listener.reads ? listener.reads(productIds) : []));
        return {
          writes,
          reads: reads.flat(),
          async settle(writeResults, readResults) {
            const short = expected.findIndex((n, i) => affectedRows(writeResults[i]) !== n);
            if (short >= 0) throw new Error(`a batch of stock changes was not written whole (statement ${short + 1} of ${expected.length})`);
            if (!productIds.length) return;
            let next = 0;
            for (const [i, listener] of listeners.entries()) {
              const rows = readResults.slice(next, (next += reads[i].length));
              await listener.changed(productIds, reads[i].length ? rows : undefined);
            }
            notifyOnCommit();
          },
        };
      },
    };
  };
  return { statements, bookOf };
}

async function applyInTransaction(lines: StockLine[], context: MovementContext): Promise<StockMovement[]> {
  const change = await stockChangeStatements(lines, context);
  if (!change.writes) return [];
  // Every line's guarded total, level and ledger row go out in one pipeline: the product rows stay
  // locked from the first update to the commit, with no round trip in between.
  const results = await pipelined(change.statements);
  await change.settle(results);
  // The ledger rows as written (their ids and balances), for callers that report them.
  const ids = results.slice(0, change.writes).filter((_, i) => i % 3 === 2).map(insertIdOf);
  return StockMovement.findAll({ where: { id: ids }, order: [['id', 'ASC']] });
}

export interface StockChange {
  lines: StockLine[];
  context: MovementContext;
}

/**
 * A whole history of stock changes (the demo seed's six months, an import)
 * written as applyStockChanges would write them one by one, in order, but
 * with a few statements: the products' stock and their levels are read once
 * under lock, every change is applied in memory under the same rules
 * (normalised lines, never below zero in total or at a location, else
 * INSUFFICIENT_STOCK and the whole transaction rolls back), its ledger rows
 * carry the running balances, then the ledger goes out in multi-row INSERTs
 * and each product and level is written once with where it ended. Stock
 * listeners get every change's stock in order (see onStockChanged).
 */
export function applyStockHistory(changes: StockChange[]): Promise<number> {
  return transaction(async () => {
    const fallback = await fallbackFor(changes.flatMap((c) => c.lines));
    const placed = changes.map((c) => ({ context: c.context, at: c.context.at ?? now(), lines: placeLines(c.lines, fallback) })).filter((c) => c.lines.length);
    if (!placed.length) return 0;
    const productIds = [...new Set(placed.flatMap((c) => c.lines.map((l) => l.productId)))].sort((a, b) => a - b);
    const counted: CountedStock = { totals: new Map(), levels: new Map() };
    for (const ids of inChunks(productIds)) {
      const [products, rows] = (await pipelined(stockLockStatements(ids))) as [Parameters<typeof countedStock>[0], Parameters<typeof countedStock>[1]];
      const chunk = countedStock(products, rows);
      for (const [id, total] of chunk.totals) counted.totals.set(id, total);
      for (const [key, level] of chunk.levels) counted.levels.set(key, level);
    }
    const missing = productIds.find((id) => !counted.totals.has(id));
    if (missing !== undefined) throw notFound(`Product ${missing}`);

    const ledger: ReturnType<typeof ledgerRow>[] = [];
    const steps: StockSteps = [];
    for (const { lines, context, at } of placed) {
      for (const { line, balance } of await countChange(counted, lines, at)) ledger.push(ledgerRow(line, balance, context, at));
      steps.push([...new Set(lines.map((l) => l.productId))].map((productId) => ({ productId, stock: counted.totals.get(productId)!.stock })));
    }
    for (const rows of inChunks(ledger)) await StockMovement.bulkCreate(rows);
    const changed = [...counted.totals].filter(([, p]) => p.at);
    for (const rows of inChunks(changed)) {
      const cases = (value: (p: CountedTotal) => string) => `CASE id ${rows.map(([id, p]) => `WHEN ${id} THEN ${value(p)}`).join(' ')} END`;
      await db().query(`UPDATE products SET stock = ${cases((p) => String(p.stock))}, updated_at = ${cases((p) => db().escape(sqlDate(p.at!)))} WHERE id IN (:ids)`, {
        replacements: { ids: rows.map(([id]) => id) },
      });
    }
    const touched = [...counted.levels.values()].filter((l) => l.at);
    // New levels in the order their first unit came in (the order of the map), as the one-by-one path numbers them.
    const created = touched.filter((l) => !l.exists);
    for (const rows of inChunks(created)) await StockLevel.bulkCreate(rows.map((l) => ({ productId: l.productId, locationId: l.locationId, quantity: l.quantity, createdAt: l.createdAt!, updatedAt: l.at! })));
    for (const l of touched.filter((t) => t.exists)) {
      await db().query('UPDATE stock_levels SET quantity = :quantity, updated_at = :at WHERE product_id = :productId AND location_id = :locationId', { replacements: sqlReplacements({ ...l, at: l.at! }) });
    }

    for (const listener of listeners) {
      if (listener.history) await listener.history(steps);
      else await listener.changed(changed.map(([id]) => id));
    }
    notifyOnCommit();
    return ledger.length;
  });
}

/**
 * Puts back what a document took or gave (a cancelled sale or order): the
 * ledger rows it wrote with `reason` are reversed at the locations they
 * happened, whatever the default location is now.
 */
export async function reverseStockChanges(reference: { type: string; id: number; reason: MovementReason }, context: MovementContext): Promise<StockMovement[]> {
  return transaction(async () => {
    const rows = await StockMovement.findAll({ where: { referenceType: reference.type, referenceId: reference.id, reason: reference.reason }, attributes: ['productId', 'locationId', 'delta'] });
    return applyInTransaction(rows.map((r) => ({ productId: r.productId, locationId: r.locationId, delta: -r.delta })), context);
  });
}
