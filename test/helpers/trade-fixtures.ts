import { QueryTypes } from 'sequelize';
import { db, transaction } from '../../src/db/index.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import { Product } from '../../src/modules/products/product.model.js';
import { Supplier } from '../../src/modules/suppliers/supplier.model.js';

let counter = 0;

/** A product with opening stock recorded in the ledger (as the product service does). */
export async function makeProduct(fields: { name?: string; price?: number; costPrice?: number; stock?: number; supplierId?: number } = {}): Promise<Product> {
  counter += 1;
  return transaction(async () => {
    const product = await Product.create(
      {
        sku: `TST-${process.pid}-${counter}`,
        name: fields.name ?? `Test product ${counter}`,
        price: fields.price ?? 10,
        costPrice: fields.costPrice ?? 6,
        supplierId: fields.supplierId ?? null,
      },
    );
    if (fields.stock) await applyStockChanges([{ productId: product.id, delta: fields.stock }], { reason: 'initial', note: 'fixture' });
    return product;
  });
}

export async function makeSupplier(name = `Supplier ${++counter}`): Promise<Supplier> {
  return Supplier.create({ name, leadTimeDays: 5 });
}

export async function stockOf(productId: number): Promise<number> {
  return (await Product.findByPk(productId, { attributes: ['stock'] }))!.stock;
}

/** SUM(stock_movements.delta) for a product: must always equal products.stock. */
export async function ledgerSum(productId: number): Promise<number> {
  const [row] = await db().query<{ total: string | number | null }>('SELECT SUM(delta) AS total FROM stock_movements WHERE product_id = ?', {
    replacements: [productId],
    type: QueryTypes.SELECT,
  });
  return Number(row.total ?? 0);
}

export async function count(table: string): Promise<number> {
  const [row] = await db().query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
  return Number(row.n);
}

/** The text drawn by PDFKit (uncompressed content: hex strings inside TJ arrays). */
export function pdfText(pdf: Buffer | string): string {
  const source = typeof pdf === 'string' ? pdf : pdf.toString('latin1');
  const runs = source.match(/\[([^\]]*)\]\s*TJ/g) ?? [];
  return runs
    .map((run) => (run.match(/<([0-9a-fA-F]*)>/g) ?? []).map((hex) => Buffer.from(hex.slice(1, -1), 'hex').toString('latin1')).join(''))
    .join('\n');
}

/**
 * Every way the stock model can disagree with itself, as readable lines (empty
 * when it holds): per (product, location) the level against the ledger's sum
 * and the last balance_after; per product products.stock against the levels.
 */
export async function stockInvariantViolations(): Promise<string[]> {
  const select = <T extends object>(sql: string) => db().query<T>(sql, { type: QueryTypes.SELECT });
  const levels = await select<{ product_id: number; location_id: number; quantity: number; ledger: string | number | null; last_balance: number | null }>(
    `SELECT l.product_id, l.location_id, l.quantity,
            (SELECT SUM(m.delta) FROM stock_movements m WHERE m.product_id = l.product_id AND m.location_id = l.location_id) AS ledger,
            (SELECT m.balance_after FROM stock_movements m WHERE m.product_id = l.product_id AND m.location_id = l.location_id ORDER BY m.id DESC LIMIT 1) AS last_balance
       FROM stock_levels l`,
  );
  const orphans = await select<{ product_id: number; location_id: number; total: string | number }>(
    `SELECT m.product_id, m.location_id, SUM(m.delta) AS total FROM stock_movements m
      WHERE NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.product_id = m.product_id AND l.location_id = m.location_id)
      GROUP BY m.product_id, m.location_id`,
  );
  const totals = await select<{ id: number; stock: number; levels: string | number | null }>(
    'SELECT p.id, p.stock, (SELECT SUM(l.quantity) FROM stock_levels l WHERE l.product_id = p.id) AS levels FROM products p',
  );
  return [
    ...levels
      .filter((l) => l.quantity < 0 || Number(l.ledger ?? 0) !== l.quantity || (l.last_balance !== null && Number(l.last_balance) !== l.quantity))
      .map((l) => `product ${l.product_id} at location ${l.location_id}: level ${l.quantity}, ledger ${l.ledger}, last balance ${l.last_balance}`),
    ...orphans.filter((o) => Number(o.total) !== 0).map((o) => `product ${o.product_id} at location ${o.location_id}: ledger ${o.total} but no level`),
    ...totals.filter((t) => Number(t.levels ?? 0) !== t.stock).map((t) => `product ${t.id}: stock ${t.stock}, levels ${t.levels}`),
  ];
}

/**
 * Holds the sale being written now (a transaction of the test's locks the
 * product row it needs first; on SQLite it is the one writer), so sales that
 * arrive meanwhile queue and are then recorded together. `release` lets it go.
 */
export async function holdSales(productId: number): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const blocker = transaction(async () => {
    await Product.findByPk(productId, { lock: true });
    holding();
    await released;
  });
  await held;
  return {
    async release() {
      release();
      await blocker;
    },
  };
}
