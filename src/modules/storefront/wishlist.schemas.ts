import { z } from '../../shared/zod.js';
import { ShopProductSchema } from './catalog.schemas.js';

export const addWishlistBody = z.object({ productId: z.number().int().positive() });
export type AddWishlistInput = z.infer<typeof addWishlistBody>;

export const WishlistItemSchema = z
  .object({ productId: z.number(), addedAt: z.string(), product: ShopProductSchema })
  .openapi('WishlistItem');
export const WishlistSchema = z.object({ data: z.array(WishlistItemSchema), total: z.number() }).openapi('Wishlist');
export type WishlistEntry = z.infer<typeof WishlistItemSchema>;
