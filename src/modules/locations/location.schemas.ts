import { z } from '../../shared/zod.js';
import { listOf, listQuery, pageQuery, queryBool } from '../../shared/schemas.js';
import { LOCATION_TYPES } from './location.model.js';

export const LocationSchema = z
  .object({
    id: z.number(),
    code: z.string(),
    name: z.string(),
    type: z.enum(LOCATION_TYPES),
    address: z.string().nullable(),
    isDefault: z.boolean(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Location');

const fields = {
  name: z.string().trim().min(1).max(120),
  code: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, dash and underscore')
    .transform((v) => v.toUpperCase())
    .openapi({ description: 'Short unique code, stored upper-cased (MAIN, SHOP, WH1)' }),
  type: z.enum(LOCATION_TYPES).optional(),
  address: z.string().trim().max(500).nullable().optional(),
  isDefault: z.boolean().optional().openapi({ description: 'true makes this the default location (the previous default stops being it)' }),
};

export const createLocationBody = z.object(fields).openapi('LocationCreate');
export type CreateLocationInput = z.infer<typeof createLocationBody>;

export const updateLocationBody = z
  .object({
    ...fields,
    name: fields.name.optional(),
    code: fields.code.optional(),
    archivedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .openapi({ description: 'An ISO time archives the location (no new stock there; it must hold none); null restores it' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to update')
  .openapi('LocationUpdate');
export type UpdateLocationInput = z.infer<typeof updateLocationBody>;

export const locationListQuery = listQuery(['name', 'code', 'createdAt']).extend({ includeArchived: queryBool.optional() });
export type LocationListQuery = z.infer<typeof locationListQuery>;

export const locationStockQuery = z.object({
  ...pageQuery,
  search: z.string().trim().max(100).optional(),
  lowStock: queryBool.optional().openapi({ description: 'quantity here at or below the product threshold (its own, else the settings one)' }),
});
export type LocationStockQuery = z.infer<typeof locationStockQuery>;

export const LocationStockItemSchema = z
  .object({ productId: z.number(), sku: z.string(), name: z.string(), category: z.string(), quantity: z.number(), threshold: z.number() })
  .openapi('LocationStockItem');

export const ProductStockSchema = z
  .object({
    productId: z.number(),
    total: z.number().describe('Stock on hand (products.stock): the sum over locations, in transit excluded'),
    inTransit: z.number().describe('Shipped by a transfer and not yet received'),
    locations: z.array(z.object({ locationId: z.number(), code: z.string(), name: z.string(), quantity: z.number() })),
  })
  .openapi('ProductStock');

export const locationList = listOf(LocationSchema);
export const locationStockList = listOf(LocationStockItemSchema);

/** An optional `locationId` on stock-changing requests: the default location when absent. */
export const locationIdField = z.number().int().positive().optional().openapi({ description: 'Where the stock changes (default: the default location)' });
