import { transaction } from '../../src/db/index.js';
import { Product } from '../../src/modules/products/product.model.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import type { TargetRole } from '../../src/modules/products/product.model.js';

let counter = 0;

/** A product with opening stock recorded through the ledger, as the back office would create it. */
export async function makeProduct(
  fields: { name?: string; price?: number; costPrice?: number; stock?: number; category?: string; targetRole?: TargetRole; discountPercent?: number; description?: string } = {},
): Promise<Product> {
  counter += 1;
  return transaction(async () => {
    const product = await Product.create(
      {
        sku: `TST-${String(counter).padStart(6, '0')}`,
        name: fields.name ?? `Test product ${counter}`,
        description: fields.description ?? null,
        category: fields.category ?? 'General',
        price: fields.price ?? 10,
        costPrice: fields.costPrice ?? 6,
        lowStockThreshold: 3,
        reorderQuantity: 25,
        targetRole: fields.targetRole ?? 'all',
        discountPercent: fields.discountPercent ?? 0,
      },
    );
    if (fields.stock ?? 10) await applyStockChanges([{ productId: product.id, delta: fields.stock ?? 10 }], { reason: 'initial' });
    await product.reload();
    return product;
  });
}

export async function archive(product: Product): Promise<void> {
  await transaction(() => product.update({ archivedAt: new Date() }));
}

export async function stockOf(productId: number): Promise<number> {
  return (await Product.findByPk(productId))!.stock;
}
