import { Op, literal } from 'sequelize';
import { afterCommit, transaction } from '../../db/index.js';
import { insufficientStock, notFound } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { now } from '../../shared/clock.js';
import { Product } from '../products/product.model.js';
import { StockMovement, type AdjustmentReason, type MovementReason } from './stock-movement.model.js';

export interface StockLine {
  productId: number;
  delta: number;
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

type StockListener = (productIds: number[]) => Promise<void> | void;
const listeners: StockListener[] = [];

/** Runs after a stock change commits (e.g. the low-stock alert check); never inside the caller's request. */
export function onStockChanged(listener: StockListener): void {
  listeners.push(listener);
}

const pending = new Set<Promise<unknown>>();

function notifyStockChanged(productIds: number[]): void {
  for (const listener of listeners) {
    const run: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(() => listener(productIds))
      .catch((err: Error) => logger().warn({ err: err.message }, 'stock listener failed'))
      .finally(() => pending.delete(run));
    pending.add(run);
  }
}

/** Waits for after-commit listeners still running (shutdown closes the database only after them). */
export async function drainStockListeners(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

/** Same product twice becomes one line; zero deltas vanish; order is by product id (no deadlocks). */
export function normaliseLines(lines: StockLine[]): StockLine[] {
  const byProduct = new Map<number, number>();
  for (const { productId, delta } of lines) byProduct.set(productId, (byProduct.get(productId) ?? 0) + delta);
  return [...byProduct.entries()]
    .filter(([, delta]) => delta !== 0)
    .sort(([a], [b]) => a - b)
    .map(([productId, delta]) => ({ productId, delta }));
}

/**
 * The only code that changes stock. Inside the caller's transaction (joined
 * implicitly; one of its own when there is none), each line is a guarded
 * conditional update (stock never below zero) plus one ledger row with the
 * balance after it. Any short line throws INSUFFICIENT_STOCK, so the caller's
 * whole transaction rolls back.
 */
export function applyStockChanges(lines: StockLine[], context: MovementContext): Promise<StockMovement[]> {
  return transaction(() => applyInTransaction(lines, context));
}

async function applyInTransaction(lines: StockLine[], context: MovementContext): Promise<StockMovement[]> {
  const at = context.at ?? now();
  const rows = [];
  for (const { productId, delta } of normaliseLines(lines)) {
    const [updated] = await Product.update(
      { stock: literal(`stock + ${Math.trunc(delta)}`) as unknown as number },
      { where: { id: productId, ...(delta < 0 ? { stock: { [Op.gte]: -delta } } : {}) } },
    );
    const product = await Product.findByPk(productId, { attributes: ['id', 'name', 'sku', 'stock'] });
    if (!product) throw notFound(`Product ${productId}`);
    if (updated !== 1) {
      throw insufficientStock(
        `Insufficient stock for '${product.name}' (${product.sku}): requested ${-delta}, available ${product.stock}`,
        [{ path: `product.${productId}`, message: `requested ${-delta}, available ${product.stock}` }],
      );
    }
    rows.push({
      productId,
      delta,
      balanceAfter: product.stock,
      reason: context.reason,
      adjustmentReason: context.adjustmentReason ?? null,
      note: context.note ?? null,
      referenceType: context.referenceType ?? null,
      referenceId: context.referenceId ?? null,
      userId: context.userId ?? null,
      createdAt: at,
      updatedAt: at,
    });
  }
  if (rows.length === 0) return [];
  const movements = await StockMovement.bulkCreate(rows);
  const productIds = rows.map((r) => r.productId);
  afterCommit(() => notifyStockChanged(productIds));
  return movements;
}
