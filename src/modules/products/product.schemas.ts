import { z } from '../../shared/zod.js';
import { listQuery, money, queryBool } from '../../shared/schemas.js';
import { ADJUSTMENT_REASONS } from '../inventory/stock-movement.model.js';
import { TARGET_ROLES } from './product.model.js';
import { locationIdField } from '../locations/location.schemas.js';
import { movementsQuery } from '../inventory/inventory.schemas.js';

const count = z.number().int().min(0).max(1_000_000_000);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const ProductSchema = z
  .object({
    id: z.number(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    price: z.number(),
    costPrice: z.number(),
    stock: z.number().int(),
    lowStockThreshold: z.number().int().nullable(),
    reorderQuantity: z.number().int().nullable(),
    supplierId: z.number().nullable(),
    supplier: z.object({ id: z.number(), name: z.string() }).nullable(),
    targetRole: z.enum(TARGET_ROLES),
    discountPercent: z.number(),
    barcode: z.string().nullable(),
    unit: z.string(),
    image: z.string().nullable(),
    imageUrl: z.string().nullable().openapi({ description: '`/uploads/<file>` or null' }),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Product');

const productFields = {
  name: z.string().trim().min(1).max(200),
  sku: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may contain letters, digits, dot, dash and underscore')
    .transform((v) => v.toUpperCase())
    .optional()
    .openapi({ description: 'Generated from the category when absent (e.g. ELE-000042); stored uppercased' }),
  category: z.string().trim().min(1).max(80).optional(),
  description: optionalText(10_000),
  price: money.optional(),
  costPrice: money.optional(),
  lowStockThreshold: count.nullable().optional(),
  reorderQuantity: count.nullable().optional(),
  supplierId: z.number().int().positive().nullable().optional(),
  targetRole: z.enum(TARGET_ROLES).optional(),
  discountPercent: z.number().min(0).max(100).optional(),
  barcode: optionalText(64),
  unit: z.string().trim().min(1).max(20).optional(),
};

export const createProductBody = z
  .object({
    ...productFields,
    stock: count.optional().openapi({ description: 'Initial stock, recorded as an `initial` stock movement' }),
    locationId: locationIdField.openapi({ description: 'Where the initial stock is (default: the default location)' }),
  })
  .openapi('ProductCreate');
export type CreateProductInput = z.infer<typeof createProductBody>;

const STOCK_IN_PUT =
  'stock cannot be changed by an update; use POST /api/products/{id}/adjust-stock, sales, purchases or orders';

export const updateProductBody = z
  .object({
    ...productFields,
    name: productFields.name.optional(),
    stock: z.unknown().optional().openapi({ description: 'Refused: stock changes only through stock movements' }),
  })
  .superRefine((value, ctx) => {
    if (value.stock !== undefined) ctx.addIssue({ code: 'custom', path: ['stock'], message: STOCK_IN_PUT });
    else if (Object.values(value).every((v) => v === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'Nothing to update' });
  })
  .openapi('ProductUpdate');
export type UpdateProductInput = Omit<z.infer<typeof updateProductBody>, 'stock'>;

/** What `search` means on the product list, its export and the catalogue (product-search.ts). */
export const SEARCH_DESCRIPTION =
  'Full-text search over name, SKU, barcode and description: the text is split into words (letters, digits, `_`; anything else separates, never query syntax), ' +
  'and a product matches when every word starts a word of those fields (`rout` finds "Router A1"). Products whose SKU or barcode equals the whole text come first, ' +
  'then the requested sort; `total` counts the same match.';

/** The filters shared by the list and the CSV export. */
const productFilters = {
  category: z.string().trim().min(1).max(80).optional(),
  supplierId: z.coerce.number().int().positive().optional(),
  minPrice: z.coerce.number().min(0).optional(),
  maxPrice: z.coerce.number().min(0).optional(),
  inStock: queryBool.optional(),
  lowStock: queryBool.optional().openapi({ description: 'stock <= the product threshold, else the settings threshold' }),
  includeArchived: queryBool.optional(),
  search: z.string().trim().max(100).optional().openapi({ description: SEARCH_DESCRIPTION }),
};

export const PRODUCT_SORTS = ['name', 'sku', 'price', 'stock', 'createdAt'] as const;

export const productListQuery = listQuery(PRODUCT_SORTS).extend(productFilters);

/** GET /api/products for everyone: the back office's list, or the shoppers' catalogue (which can also sort by rating). */
export const productBrowseQuery = listQuery([...PRODUCT_SORTS, 'rating']).extend(productFilters);
export type ProductBrowseQuery = z.infer<typeof productBrowseQuery>;
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productExportQuery = z.object({ format: z.enum(['csv']).default('csv'), ...productFilters });
export type ProductFilters = Omit<z.infer<typeof productExportQuery>, 'format'>;

export const adjustStockBody = z
  .object({
    delta: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((v) => v !== 0, 'must not be zero'),
    reason: z.enum(ADJUSTMENT_REASONS),
    note: z.string().trim().max(500).optional(),
    locationId: locationIdField,
  })
  .openapi('StockAdjustment');
export type AdjustStockInput = z.infer<typeof adjustStockBody>;


export const movementListQuery = movementsQuery.omit({ productId: true });
export type MovementListQuery = z.infer<typeof movementListQuery>;
