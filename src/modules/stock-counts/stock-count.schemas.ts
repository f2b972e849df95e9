import { z } from '../../shared/zod.js';
import { listOf, listQuery } from '../../shared/schemas.js';
import { COUNT_STATUSES } from './stock-count.model.js';

export const createCountBody = z
  .object({
    locationId: z.number().int().positive(),
    productIds: z
      .array(z.number().int().positive())
      .min(1)
      .max(5000)
      .optional()
      .openapi({ description: 'The products to count; else every active product of `category`; else every active product with stock or history at the location' }),
    category: z.string().trim().min(1).max(80).optional(),
    blind: z.boolean().default(false).openapi({ description: 'Hide expected quantities from staff and viewers until the count is submitted' }),
    notes: z.string().trim().max(2000).optional(),
  })
  .openapi('CreateStockCount');
export type CreateCountInput = z.input<typeof createCountBody>;

export const recordCountsBody = z
  .object({
    lines: z
      .array(z.object({ productId: z.number().int().positive(), counted: z.number().int().min(0).max(1_000_000_000) }))
      .min(1)
      .max(5000)
      .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, 'each product may appear only once'),
  })
  .openapi('RecordStockCounts');
export type RecordCountsInput = z.infer<typeof recordCountsBody>;

export const CountLineSchema = z
  .object({
    productId: z.number(),
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    expected: z.number().nullable().describe('The quantity at the snapshot; null in a blind count for staff and viewers until it is submitted'),
    counted: z.number().nullable(),
    movementsSince: z.number().nullable().describe('Net ledger change at the location between the snapshot and the moment the line was counted'),
    variance: z.number().nullable().describe('counted - (expected + movementsSince), once submitted'),
    varianceValue: z.number().nullable().describe('variance at cost'),
    countedAt: z.string().nullable(),
  })
  .openapi('StockCountLine');

export const CountTotalsSchema = z
  .object({ lines: z.number(), counted: z.number(), uncounted: z.number(), varianceUnits: z.number(), varianceValue: z.number() })
  .openapi('StockCountTotals');

export const StockCountSchema = z
  .object({
    id: z.number(),
    status: z.enum(COUNT_STATUSES),
    locationId: z.number(),
    location: z.object({ id: z.number(), code: z.string(), name: z.string() }),
    blind: z.boolean(),
    category: z.string().nullable(),
    notes: z.string().nullable(),
    userId: z.number().nullable(),
    lines: z.array(CountLineSchema),
    totals: CountTotalsSchema,
    submittedAt: z.string().nullable(),
    postedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('StockCount');

export const countListQuery = listQuery(['createdAt', 'status']).extend({
  status: z.enum(COUNT_STATUSES).optional(),
  locationId: z.coerce.number().int().positive().optional(),
});
export type CountListQuery = z.infer<typeof countListQuery>;

export const StockCountSummarySchema = StockCountSchema.omit({ lines: true }).openapi('StockCountSummary');
export const countList = listOf(StockCountSummarySchema);
