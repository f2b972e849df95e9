import { QueryTypes } from 'sequelize';
import { afterCommit, affectedRows, afterPrevious, currentTransaction, db, isSqlite, pipelined, transaction } from '../../db/index.js';
import { insufficientStock, notFound } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { Product } from '../products/product.model.js';
import { defaultLocation } from '../locations/location.service.js';
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

type StockListener = (productIds: number[]) => Promise<void>;
const listeners: StockListener[] = [];

/**
 * Runs inside the transaction of every stock change, after its ledger rows
 * (the low-stock alert check): what it writes commits or rolls back with the
 * change, so no crash between two commits can lose it.
 */
export function onStockChanged(listener: StockListener): void {
  listeners.push(listener);
}

const committed = new Set<() => unknown>();
/** Transactions whose commit already runs the committed listeners. */
const notified = new WeakSet<object>();

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

async function shortage(line: PlacedLine, scope: 'total' | 'location'): Promise<never> {
  const product = await Product.findByPk(line.productId, { attributes: ['id', 'name', 'sku', 'stock'] });
  if (!product) throw notFound(`Product ${line.productId}`);
  const [level] = await db().query<{ quantity: number | string; code: string }>(
    'SELECT COALESCE(l.quantity, 0) AS quantity, c.code FROM locations c LEFT JOIN stock_levels l ON l.location_id = c.id AND l.product_id = :productId WHERE c.id = :locationId',
    { type: QueryTypes.SELECT, replacements: line },
  );
  const available = scope === 'total' ? product.stock : Number(level?.quantity ?? 0);
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

async function applyInTransaction(lines: StockLine[], context: MovementContext): Promise<StockMovement[]> {
  const at = context.at ?? now();
  const fallback = lines.some((l) => !l.locationId) ? (await defaultLocation()).id : 0;
  const placed = normaliseLines(lines.map((l) => ({ productId: l.productId, delta: Math.trunc(l.delta), locationId: l.locationId || fallback })));
  if (placed.length === 0) return [];
  // Every line's guarded total and guarded level, then the balances, go out in one pipeline: the
  // product rows stay locked from the first update to the commit, with no round trip in between.
  // Each write runs only if the one before it changed a row; a short line is found afterwards and
  // rolls the whole transaction back.
  const guard = afterPrevious();
  const writes = placed.flatMap((line, i) => {
    const replacements = { ...line, at };
    return [
      { sql: `UPDATE products SET stock = stock + :delta, updated_at = :at WHERE id = :productId AND stock + :delta >= 0${i > 0 ? ` AND ${guard}` : ''}`, replacements, type: QueryTypes.UPDATE },
      line.delta > 0
        ? { sql: addToLevelSql(), replacements, type: QueryTypes.INSERT }
        : { sql: `UPDATE stock_levels SET quantity = quantity + :delta, updated_at = :at WHERE product_id = :productId AND location_id = :locationId AND quantity + :delta >= 0 AND ${guard}`, replacements, type: QueryTypes.UPDATE },
    ];
  });
  const balances = placed.map((line) => ({ sql: 'SELECT quantity FROM stock_levels WHERE product_id = :productId AND location_id = :locationId', replacements: line, type: QueryTypes.SELECT }));
  const results = await pipelined([...writes, ...balances]);
  // Only the first short write tells: every write after it was skipped by its guard.
  const firstShort = writes.findIndex((_, i) => affectedRows(results[i]) < 1);
  if (firstShort >= 0) {
    const line = placed[Math.floor(firstShort / 2)];
    if (!(await Product.findByPk(line.productId, { attributes: ['id'] }))) throw notFound(`Product ${line.productId}`);
    await shortage(line, firstShort % 2 === 0 ? 'total' : 'location');
  }
  const rows = placed.map((line, i) => ({ line, balance: (results[writes.length + i] as { quantity: number | string }[])[0] }));
  const ledger = rows.map(({ line, balance }) => ({
    productId: line.productId,
    locationId: line.locationId,
    delta: line.delta,
    balanceAfter: Number(balance.quantity),
    reason: context.reason,
    adjustmentReason: context.adjustmentReason ?? null,
    note: context.note ?? null,
    referenceType: context.referenceType ?? null,
    referenceId: context.referenceId ?? null,
    userId: context.userId ?? null,
    createdAt: at,
    updatedAt: at,
  }));
  const productIds = [...new Set(placed.map((l) => l.productId))];
  const movements = await StockMovement.bulkCreate(ledger);
  for (const listener of listeners) await listener(productIds);
  const t = currentTransaction();
  // Once per transaction, however many stock changes it makes (a seed makes thousands).
  if (!t || !notified.has(t)) {
    if (t) notified.add(t);
    afterCommit(() => Promise.all([...committed].map((listener) => listener())));
  }
  return movements;
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
