import { createSale } from '../src/modules/sales/sale.service.js';
import { createPurchase } from '../src/modules/purchases/purchase.service.js';

/**
 * The demo history goes through the same services as the API (prices, tax,
 * invoice numbers, ledger, audit), inside the seeder's transaction and
 * backdated to `at`.
 */
export async function recordSeedSale(lines: { productId: number; quantity: number }[], userId: number | null, at: Date) {
  return createSale({ items: lines }, { id: userId }, { at });
}

/** One backdated purchase; received ones add stock through the ledger, open ones stay "on order". */
export async function recordSeedPurchase(
  supplierId: number,
  lines: { productId: number; quantity: number; unitCost: number }[],
  userId: number | null,
  at: Date,
  received = true,
) {
  return createPurchase({ supplierId, items: lines, status: received ? 'received' : 'ordered' }, { id: userId }, { at });
}
