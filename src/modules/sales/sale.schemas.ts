import { z } from '../../shared/zod.js';
import { listQuery, money } from '../../shared/schemas.js';
import { SALE_STATUSES } from './sale.model.js';
import { locationIdField } from '../locations/location.schemas.js';

import { dateRangeQuery } from '../../shared/date-range.js';

export const saleItemInput = z.object({
  productId: z.coerce.number().int().positive(),
  quantity: z.number().int().positive().max(1_000_000),
  unitPrice: money.optional(),
});

export const createSaleBody = z
  .object({
    items: z.array(saleItemInput).min(1, 'a sale needs at least one item').max(200),
    customerName: z.string().trim().max(160).optional(),
    customerEmail: z.email().max(190).optional(),
    discount: money.optional(),
    notes: z.string().trim().max(2000).optional(),
    locationId: locationIdField,
  })
  .openapi('CreateSale');
export type CreateSaleInput = z.infer<typeof createSaleBody>;

export const SaleItemSchema = z
  .object({
    productId: z.number(),
    productName: z.string(),
    sku: z.string(),
    quantity: z.number(),
    unitPrice: z.number(),
    lineTotal: z.number(),
  })
  .openapi('SaleItem');

export const SaleSchema = z
  .object({
    id: z.number(),
    invoiceNumber: z.string(),
    userId: z.number().nullable(),
    locationId: z.number().describe('Where the goods were sold from'),
    customerName: z.string().nullable(),
    customerEmail: z.string().nullable(),
    status: z.enum(SALE_STATUSES),
    items: z.array(SaleItemSchema),
    subtotal: z.number(),
    discount: z.number(),
    taxRate: z.number().openapi({ description: 'Percent applied to subtotal - discount' }),
    tax: z.number(),
    total: z.number(),
    notes: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Sale');

const saleFilters = {
  ...dateRangeQuery,
  productId: z.coerce.number().int().positive().optional(),
  userId: z.coerce.number().int().positive().optional(),
  locationId: z.coerce.number().int().positive().optional(),
  status: z.enum(SALE_STATUSES).optional(),
};

export const saleListQuery = listQuery(['createdAt', 'total', 'invoiceNumber']).extend(saleFilters);
export type SaleListQuery = z.infer<typeof saleListQuery>;

export const saleExportQuery = z.object({
  format: z.enum(['csv', 'pdf']).default('csv'),
  search: z.string().trim().max(100).optional(),
  ...saleFilters,
});
export type SaleFilters = Omit<z.infer<typeof saleExportQuery>, 'format'>;
