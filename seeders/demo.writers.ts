import type { Transaction } from 'sequelize';
import { Product } from '../src/modules/products/product.model.js';
import { Purchase, PurchaseItem } from '../src/modules/purchases/purchase.model.js';
import { Sale, SaleItem } from '../src/modules/sales/sale.model.js';
import { applyStockChanges } from '../src/modules/inventory/inventory.service.js';
import { fromCents, percentOf, sumCents, toCents } from '../src/shared/money.js';
import { getSettings } from '../src/modules/settings/settings.service.js';

/** Writes one backdated sale with its ledger rows. */
export async function recordSeedSale(lines: { productId: number; quantity: number }[], userId: number | null, at: Date, t: Transaction) {
  const settings = await getSettings({ transaction: t });
  const products = await Product.findAll({ where: { id: lines.map((l) => l.productId) }, transaction: t });
  const priced = lines.map((l) => {
    const product = products.find((p) => p.id === l.productId)!;
    return { ...l, unitPrice: product.price, unitCost: product.costPrice, lineCents: toCents(product.price) * l.quantity };
  });
  const subtotal = sumCents(priced.map((l) => l.lineCents));
  const tax = percentOf(subtotal, settings.taxRate);
  const sale = await Sale.create(
    {
      userId,
      subtotal: fromCents(subtotal),
      discount: 0,
      taxRate: settings.taxRate,
      tax: fromCents(tax),
      total: fromCents(subtotal + tax),
      createdAt: at,
      updatedAt: at,
    },
    { transaction: t },
  );
  sale.invoiceNumber = `${settings.invoicePrefix}-${at.getUTCFullYear()}-${String(sale.id).padStart(6, '0')}`;
  await sale.save({ transaction: t, silent: true });
  await SaleItem.bulkCreate(
    priced.map((l) => ({ saleId: sale.id, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, unitCost: l.unitCost, lineTotal: fromCents(l.lineCents), createdAt: at, updatedAt: at })),
    { transaction: t },
  );
  await applyStockChanges(priced.map((l) => ({ productId: l.productId, delta: -l.quantity })), { reason: 'sale', referenceType: 'sale', referenceId: sale.id, userId, at }, t);
}

/** Writes one backdated purchase; received ones add stock through the ledger. */
export async function recordSeedPurchase(
  supplierId: number,
  lines: { productId: number; quantity: number; unitCost: number }[],
  userId: number | null,
  at: Date,
  t: Transaction,
  received = true,
) {
  const total = sumCents(lines.map((l) => toCents(l.unitCost) * l.quantity));
  const purchase = await Purchase.create(
    {
      supplierId,
      userId,
      status: received ? 'received' : 'ordered',
      totalCost: fromCents(total),
      receivedAt: received ? at : null,
      createdAt: at,
      updatedAt: at,
    },
    { transaction: t },
  );
  await PurchaseItem.bulkCreate(
    lines.map((l) => ({
      purchaseId: purchase.id,
      productId: l.productId,
      quantity: l.quantity,
      receivedQuantity: received ? l.quantity : 0,
      unitCost: l.unitCost,
      lineTotal: fromCents(toCents(l.unitCost) * l.quantity),
      createdAt: at,
      updatedAt: at,
    })),
    { transaction: t },
  );
  if (received) {
    await applyStockChanges(lines.map((l) => ({ productId: l.productId, delta: l.quantity })), { reason: 'purchase', referenceType: 'purchase', referenceId: purchase.id, userId, at }, t);
  }
}
