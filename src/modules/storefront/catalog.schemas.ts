import { z } from '../../shared/zod.js';
import { listQuery, money } from '../../shared/schemas.js';
import { SEARCH_DESCRIPTION } from '../products/product.schemas.js';

export const RatingSchema = z.object({ average: z.number().nullable(), count: z.number() }).openapi('RatingSummary');

/** What shoppers see of a product: no cost price, supplier, reorder fields or thresholds. */
export const ShopProductSchema = z
  .object({
    id: z.number(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    unit: z.string(),
    imageUrl: z.string().nullable(),
    listPrice: z.number().describe('Price before the product discount'),
    discountPercent: z.number().describe('Product discount applied for the caller (0 when it targets another role)'),
    price: z.number().describe("Price for the caller's role (anonymous: customer prices)"),
    stock: z.number().describe('Units available to order'),
    inStock: z.boolean(),
    rating: RatingSchema,
  })
  .openapi('ShopProduct');
export type ShopProduct = z.infer<typeof ShopProductSchema>;

export const catalogListQuery = listQuery(['name', 'price', 'createdAt', 'rating']).extend({
  search: z.string().trim().max(100).optional().openapi({ description: SEARCH_DESCRIPTION }),
  category: z.string().trim().max(80).optional(),
  minPrice: money.optional(),
  maxPrice: money.optional(),
});
export type CatalogListQuery = z.infer<typeof catalogListQuery>;
