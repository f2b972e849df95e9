import { z } from '../../shared/zod.js';

export const productIdParams = z.object({ productId: z.coerce.number().int().positive() });

export const addCartItemBody = z.object({
  productId: z.number().int().positive(),
  quantity: z.number().int().min(1).max(10_000).default(1),
});
export type AddCartItemInput = z.infer<typeof addCartItemBody>;

export const updateCartItemBody = z.object({ quantity: z.number().int().min(1).max(10_000) });
export type UpdateCartItemInput = z.infer<typeof updateCartItemBody>;

const ProductSummarySchema = z.object({
  id: z.number(),
  sku: z.string(),
  name: z.string(),
  imageUrl: z.string().nullable(),
  unit: z.string(),
  stock: z.number(),
  listPrice: z.number(),
  discountPercent: z.number(),
});

export const CartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.number(),
        quantity: z.number(),
        unitPrice: z.number().describe("Price for the caller's role, product discount applied"),
        lineTotal: z.number(),
        product: ProductSummarySchema,
      }),
    ),
    itemCount: z.number().describe('Total units'),
    total: z.number(),
    adjustments: z
      .array(
        z.object({
          productId: z.number(),
          name: z.string(),
          action: z.enum(['removed', 'clamped']),
          reason: z.enum(['archived', 'out_of_stock', 'stock_reduced']),
          quantity: z.number().describe('Quantity now in the cart (0 when removed)'),
        }),
      )
      .describe('Changes made while reading the cart: archived products removed, quantities above stock clamped'),
  })
  .openapi('Cart');
export type Cart = z.infer<typeof CartSchema>;
