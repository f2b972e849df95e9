import { z } from '../../shared/zod.js';
import { listOf, pageQuery } from '../../shared/schemas.js';
import { dateRangeQuery } from '../../shared/date-range.js';
import { ADJUSTMENT_REASONS, MOVEMENT_REASONS } from './stock-movement.model.js';
import { ALERT_STATUSES } from './stock-alert.model.js';

const ProductRef = z.object({ id: z.number(), sku: z.string(), name: z.string() }).openapi('ProductRef');

export const lowStockQuery = z.object({
  ...pageQuery,
  threshold: z.coerce.number().int().min(0).max(1_000_000).optional(),
  locationId: z.coerce.number().int().positive().optional().openapi({ description: 'Only products carried at this location (with a stock level there), low by their quantity there' }),
});
export type LowStockQuery = z.infer<typeof lowStockQuery>;

export const LowStockProductSchema = z
  .object({
    id: z.number(),
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    stock: z.number(),
    lowStockThreshold: z.number().nullable(),
    threshold: z.number().describe('The threshold applied: ?threshold, else the product threshold, else settings.lowStockThreshold'),
    reorderQuantity: z.number().nullable(),
    price: z.number(),
    costPrice: z.number(),
    supplierId: z.number().nullable(),
    supplier: z.object({ id: z.number(), name: z.string() }).nullable(),
    location: z
      .object({ id: z.number(), code: z.string(), quantity: z.number() })
      .optional()
      .describe('With ?locationId: the quantity there, which decided'),
  })
  .openapi('LowStockProduct');

export const movementsQuery = z.object({
  ...pageQuery,
  productId: z.coerce.number().int().positive().optional(),
  reason: z.enum(MOVEMENT_REASONS).optional(),
  locationId: z.coerce.number().int().positive().optional(),
  ...dateRangeQuery,
});
export type MovementsQuery = z.infer<typeof movementsQuery>;

/** One ledger row. */
export const StockMovementSchema = z
  .object({
    id: z.number(),
    productId: z.number(),
    locationId: z.number(),
    delta: z.number().int(),
    balanceAfter: z.number().int().describe("The location's balance after this change"),
    reason: z.enum(MOVEMENT_REASONS),
    adjustmentReason: z.enum(ADJUSTMENT_REASONS).nullable(),
    note: z.string().nullable(),
    referenceType: z.string().nullable(),
    referenceId: z.number().nullable(),
    userId: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('StockMovement');

/** A ledger row in the whole-ledger view, with its product. */
export const LedgerEntrySchema = StockMovementSchema.extend({ product: ProductRef, location: z.object({ id: z.number(), code: z.string(), name: z.string() }) }).openapi('LedgerEntry');

export const ReorderRecommendationSchema = z
  .object({
    productId: z.number(),
    sku: z.string(),
    name: z.string(),
    stock: z.number(),
    dailySalesRate: z.number(),
    daysOfCover: z.number().nullable(),
    leadTimeDays: z.number(),
    safetyStock: z.number(),
    reorderPoint: z.number(),
    onOrder: z.number(),
    recommendedQuantity: z.number(),
    supplierId: z.number().nullable(),
    supplierName: z.string().nullable(),
    reason: z.string(),
  })
  .openapi('ReorderRecommendation');

export const reorderQuery = z.object(pageQuery);
export type ReorderQuery = z.infer<typeof reorderQuery>;
export const reorderList = listOf(ReorderRecommendationSchema);

const ValuationFigures = { units: z.number(), costValue: z.number(), retailValue: z.number() };
export const ValuationSchema = z
  .object({
    totals: z.object(ValuationFigures),
    byCategory: z.array(z.object({ category: z.string(), ...ValuationFigures })),
  })
  .openapi('StockValuation');

export const alertListQuery = z.object({
  ...pageQuery,
  status: z.enum(ALERT_STATUSES).optional(),
  productId: z.coerce.number().int().positive().optional(),
});
export type AlertListQuery = z.infer<typeof alertListQuery>;

export const StockAlertSchema = z
  .object({
    id: z.number(),
    productId: z.number(),
    status: z.enum(ALERT_STATUSES),
    stockAtAlert: z.number(),
    threshold: z.number(),
    sentAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    product: ProductRef.extend({ stock: z.number() }),
  })
  .openapi('StockAlert');

export const AlertCheckSchema = z.object({ raised: z.number(), resolved: z.number() }).openapi('StockAlertCheck');

export const lowStockList = listOf(LowStockProductSchema);
export const movementList = listOf(LedgerEntrySchema);
export const alertList = listOf(StockAlertSchema);
