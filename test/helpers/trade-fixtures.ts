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
