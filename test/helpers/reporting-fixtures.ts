import { rollUpOrder, rollUpSale } from '../../src/modules/analytics/sales-rollups.js';
import { defaultLocation } from '../../src/modules/locations/location.service.js';
import { transaction } from '../../src/db/index.js';
import { applyStockChanges } from '../../src/modules/inventory/inventory.service.js';
import type { AdjustmentReason } from '../../src/modules/inventory/stock-movement.model.js';
import { Product } from '../../src/modules/products/product.model.js';
import { Purchase, PurchaseItem, type PurchaseStatus } from '../../src/modules/purchases/purchase.model.js';
import { Sale, SaleItem } from '../../src/modules/sales/sale.model.js';
import { Order, OrderItem } from '../../src/modules/storefront/storefront.models.js';
import { Supplier } from '../../src/modules/suppliers/supplier.model.js';
import { fromCents, percentOf, sumCents, toCents } from '../../src/shared/money.js';

/** Test data written straight through the models and the inventory service (no feature routes needed). */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

let skuCounter = 0;

export function makeSupplier(name: string, leadTimeDays?: number) {
  return Supplier.create({ name, ...(leadTimeDays === undefined ? {} : { leadTimeDays }) });
}

export interface ProductFixture {
  name: string;
  category?: string;
  price?: number;
  costPrice?: number;
  stock?: number;
  lowStockThreshold?: number | null;
  reorderQuantity?: number | null;
  supplierId?: number | null;
  archived?: boolean;
  at?: Date;
}

export async function makeProduct(fields: ProductFixture): Promise<Product> {
  skuCounter += 1;
  return transaction(async () => {
    const product = await Product.create(
      {
        sku: `TST-${process.pid}-${skuCounter}`,
        name: fields.name,
        category: fields.category ?? 'General',
        price: fields.price ?? 10,
        costPrice: fields.costPrice ?? 5,
        lowStockThreshold: fields.lowStockThreshold ?? null,
        reorderQuantity: fields.reorderQuantity ?? null,
        supplierId: fields.supplierId ?? null,
        archivedAt: fields.archived ? new Date() : null,
      },
    );
    if (fields.stock) {
      await applyStockChanges([{ productId: product.id, delta: fields.stock }], { reason: 'initial', at: fields.at ?? daysAgo(90) });
    }
    return product;
  });
}

export interface Line {
  productId: number;
  quantity: number;
  unitPrice: number;
}

function totals(lines: Line[], taxRate: number) {
  const subtotal = sumCents(lines.map((l) => toCents(l.unitPrice) * l.quantity));
  const tax = percentOf(subtotal, taxRate);
  return { subtotal: fromCents(subtotal), tax: fromCents(tax), total: fromCents(subtotal + tax) };
}

/** A sale (optionally backdated, optionally cancelled afterwards with its stock restored). */
export function recordSale(lines: Line[], options: { at?: Date; taxRate?: number; cancelled?: boolean; userId?: number | null } = {}) {
  const at = options.at ?? new Date();
  const taxRate = options.taxRate ?? 0;
  return transaction(async () => {
    const sale = await Sale.create(
      { userId: options.userId ?? null, locationId: (await defaultLocation()).id, discount: 0, taxRate, ...totals(lines, taxRate), createdAt: at, updatedAt: at },
    );
    await SaleItem.bulkCreate(
      lines.map((l) => ({ saleId: sale.id, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, unitCost: 0, lineTotal: fromCents(toCents(l.unitPrice) * l.quantity), createdAt: at, updatedAt: at })),
    );
    const delta = (sign: number) => lines.map((l) => ({ productId: l.productId, delta: sign * l.quantity }));
    await applyStockChanges(delta(-1), { reason: 'sale', referenceType: 'sale', referenceId: sale.id, at });
    // Written past the sale service, so the rollups are kept here as the service keeps them.
    await rollUpSale(sale.id, 1, at);
    if (options.cancelled) {
      await sale.update({ status: 'cancelled', cancelledAt: at });
      await rollUpSale(sale.id, -1, at);
      await applyStockChanges(delta(1), { reason: 'sale_cancel', referenceType: 'sale', referenceId: sale.id, at });
    }
    return sale;
  });
}

/** A storefront order (tax-free here), optionally cancelled with its stock restored. */
export function recordOrder(userId: number, lines: Line[], options: { at?: Date; cancelled?: boolean } = {}) {
  const at = options.at ?? new Date();
  return transaction(async () => {
    const order = await Order.create(
      { userId, discount: 0, ...totals(lines, 0), deliveryAddress: '1 Test Street', contactNumber: '555-0100', createdAt: at, updatedAt: at },
    );
    await OrderItem.bulkCreate(
      lines.map((l) => ({ orderId: order.id, productId: l.productId, productName: `#${l.productId}`, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: 0, lineTotal: fromCents(toCents(l.unitPrice) * l.quantity) })),
    );
    const delta = (sign: number) => lines.map((l) => ({ productId: l.productId, delta: sign * l.quantity }));
    await applyStockChanges(delta(-1), { reason: 'order', referenceType: 'order', referenceId: order.id, at });
    await rollUpOrder(order.id, 1, at);
    if (options.cancelled) {
      await order.update({ status: 'cancelled', cancelledAt: at });
      await rollUpOrder(order.id, -1, at);
      await applyStockChanges(delta(1), { reason: 'order_cancel', referenceType: 'order', referenceId: order.id, at });
    }
    return order;
  });
}

/** A purchase whose received quantities (if any) go into stock through the ledger. */
export function recordPurchase(
  supplierId: number | null,
  lines: { productId: number; quantity: number; unitCost: number; received?: number }[],
  options: { status: PurchaseStatus; at?: Date },
) {
  const at = options.at ?? new Date();
  return transaction(async () => {
    const purchase = await Purchase.create(
      { supplierId, userId: null, locationId: (await defaultLocation()).id, status: options.status, totalCost: fromCents(sumCents(lines.map((l) => toCents(l.unitCost) * l.quantity))), createdAt: at, updatedAt: at },
    );
    await PurchaseItem.bulkCreate(
      lines.map((l) => ({ purchaseId: purchase.id, productId: l.productId, quantity: l.quantity, receivedQuantity: l.received ?? 0, unitCost: l.unitCost, lineTotal: fromCents(toCents(l.unitCost) * l.quantity) })),
    );
    const received = lines.filter((l) => l.received).map((l) => ({ productId: l.productId, delta: l.received! }));
    if (received.length) await applyStockChanges(received, { reason: 'purchase', referenceType: 'purchase', referenceId: purchase.id, at });
    return purchase;
  });
}

export function adjustStock(productId: number, delta: number, adjustmentReason: AdjustmentReason = 'count') {
  return transaction(() => applyStockChanges([{ productId, delta }], { reason: 'adjustment', adjustmentReason }));
}
