import { z } from '../../shared/zod.js';
import { listQuery, money } from '../../shared/schemas.js';
import { dateOrDateTime, dateRangeQuery } from '../../shared/date-range.js';
import { PURCHASE_STATUSES } from './purchase.model.js';
import { locationIdField } from '../locations/location.schemas.js';

const productId = z.coerce.number().int().positive();
const quantity = z.number().int().positive().max(1_000_000);

/** Each product once per purchase: receipts name lines by product. */
const distinctProducts = <T extends { productId: number }>(items: T[]) => new Set(items.map((i) => i.productId)).size === items.length;
const DISTINCT = { message: 'each product may appear only once', path: ['items'] };

export const createPurchaseBody = z
  .object({
    supplierId: z.coerce.number().int().positive(),
    items: z.array(z.object({ productId, quantity, unitCost: money })).min(1).max(500).refine(distinctProducts, DISTINCT),
    status: z.enum(['ordered', 'received']).default('ordered'),
    locationId: locationIdField.openapi({ description: 'Where the goods arrive (default: the default location); receipts go there unless they name another location' }),
    expectedAt: dateOrDateTime.optional(),
    reference: z.string().trim().max(80).optional(),
    notes: z.string().trim().max(2000).optional(),
  })
  .openapi('CreatePurchase');
/** `status` may be left out by service callers (seeders, AdminJS): it defaults to `ordered`. */
export type CreatePurchaseInput = Omit<z.infer<typeof createPurchaseBody>, 'status'> & { status?: 'ordered' | 'received' };

export const receivePurchaseBody = z
  .object({
    items: z.array(z.object({ productId, quantity })).min(1).max(500).refine(distinctProducts, DISTINCT).optional(),
    locationId: locationIdField.openapi({ description: 'Where the goods arrive (default: the location the purchase was made for)' }),
  })
  .openapi('ReceivePurchase');
export type ReceivePurchaseInput = z.infer<typeof receivePurchaseBody>;

export const createShipmentBody = z
  .object({
    supplierId: z.coerce.number().int().positive().optional(),
    locationId: locationIdField,
    items: z.array(z.object({ productId, quantity, unitCost: money.optional() })).min(1).max(500).refine(distinctProducts, DISTINCT),
    reference: z.string().trim().max(80).optional(),
    notes: z.string().trim().max(2000).optional(),
  })
  .openapi('CreateShipment');
export type CreateShipmentInput = z.infer<typeof createShipmentBody>;

export const PurchaseItemSchema = z
  .object({
    productId: z.number(),
    productName: z.string(),
    sku: z.string(),
    quantity: z.number(),
    receivedQuantity: z.number(),
    unitCost: z.number(),
    lineTotal: z.number(),
  })
  .openapi('PurchaseItem');

export const PurchaseSchema = z
  .object({
    id: z.number(),
    supplierId: z.number().nullable(),
    supplierName: z.string().nullable(),
    userId: z.number().nullable(),
    locationId: z.number().describe('Where the goods are to arrive'),
    reference: z.string().nullable(),
    status: z.enum(PURCHASE_STATUSES),
    totalCost: z.number(),
    items: z.array(PurchaseItemSchema),
    expectedAt: z.string().nullable(),
    receivedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    notes: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Purchase');

const purchaseFilters = {
  ...dateRangeQuery,
  supplierId: z.coerce.number().int().positive().optional(),
  productId: z.coerce.number().int().positive().optional(),
  locationId: z.coerce.number().int().positive().optional(),
  status: z.enum(PURCHASE_STATUSES).optional(),
};

export const purchaseListQuery = listQuery(['createdAt', 'totalCost', 'expectedAt', 'status']).extend(purchaseFilters);
export type PurchaseListQuery = z.infer<typeof purchaseListQuery>;

export const purchaseExportQuery = z.object({
  format: z.enum(['csv', 'pdf']).default('csv'),
  search: z.string().trim().max(100).optional(),
  ...purchaseFilters,
});
export type PurchaseFilters = Omit<z.infer<typeof purchaseExportQuery>, 'format'>;
