import { transaction } from '../../db/index.js';
import { notFound } from '../../shared/errors.js';
import type { UserActor } from '../../shared/actor.js';
import { Product } from '../products/product.model.js';
import { findActiveProduct, toShopProduct } from './catalog.service.js';
import { priceTierOf } from './pricing.js';
import { ratingsFor } from './rating.service.js';
import { WishlistItem } from './storefront.models.js';
import type { AddWishlistInput, WishlistEntry } from './wishlist.schemas.js';

/** Archived products stay on the wishlist (they may come back) but are not shown. */
export async function getWishlist(user: UserActor): Promise<{ data: WishlistEntry[]; total: number }> {
  const rows = await WishlistItem.findAll({
    where: { userId: user.id },
    include: [{ model: Product, as: 'product', where: { archivedAt: null } }],
    order: [['createdAt', 'DESC'], ['id', 'DESC']],
  });
  const ratings = await ratingsFor(rows.map((r) => r.productId));
  const tier = priceTierOf(user.role);
  const data = rows.map((row) => entry(row, (row as WishlistItem & { product: Product }).product, tier, ratings));
  return { data, total: data.length };
}

function entry(row: WishlistItem, product: Product, tier: ReturnType<typeof priceTierOf>, ratings: Awaited<ReturnType<typeof ratingsFor>>): WishlistEntry {
  return { productId: product.id, addedAt: row.createdAt.toISOString(), product: toShopProduct(product, tier, ratings.get(product.id)) };
}

/** Idempotent: adding a product already there returns the existing entry (`created: false`). */
export async function addToWishlist(input: AddWishlistInput, user: UserActor): Promise<{ entry: WishlistEntry; created: boolean }> {
  return transaction(async () => {
    const product = await findActiveProduct(input.productId);
    const [row, created] = await WishlistItem.findOrCreate({
      where: { userId: user.id, productId: product.id },
      defaults: { userId: user.id, productId: product.id },
    });
    const ratings = await ratingsFor([product.id]);
    return { entry: entry(row, product, priceTierOf(user.role), ratings), created };
  });
}

export async function removeFromWishlist(productId: number, user: UserActor): Promise<void> {
  await transaction(async () => {
    const removed = await WishlistItem.destroy({ where: { userId: user.id, productId } });
    if (!removed) throw notFound('Wishlist item');
  });
}
