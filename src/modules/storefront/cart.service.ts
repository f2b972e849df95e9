import { transaction } from '../../db/index.js';
import { insufficientStock, notFound } from '../../shared/errors.js';
import { fromCents, sumCents } from '../../shared/money.js';
import type { UserActor } from '../../shared/actor.js';
import { Product } from '../products/product.model.js';
import { findActiveProduct } from './catalog.service.js';
import { priceTierOf, shopperPrice } from './pricing.js';
import { imageUrlOf } from '../products/product-image.js';
import { CartItem } from './storefront.models.js';
import type { AddCartItemInput, Cart, UpdateCartItemInput } from './cart.schemas.js';

type Adjustment = Cart['adjustments'][number];

function tooMany(product: Product, quantity: number) {
  return insufficientStock(`Only ${product.stock} of '${product.name}' in stock; you asked for ${quantity}`, [
    { path: 'quantity', message: `requested ${quantity}, available ${product.stock}` },
  ]);
}

/**
 * Reads the cart and brings it in line with the catalogue: archived or sold-out
 * products leave it, quantities above the stock are lowered; each change is reported.
 */
export async function getCart(user: UserActor): Promise<Cart> {
  return transaction(async () => {
    const rows = await CartItem.findAll({
      where: { userId: user.id },
      include: [{ model: Product, as: 'product' }],
      order: [['id', 'ASC']],
    });
    const tier = priceTierOf(user.role);
    const adjustments: Adjustment[] = [];
    const items: Cart['items'] = [];
    for (const row of rows) {
      const product = (row as CartItem & { product: Product }).product;
      if (product.archivedAt || product.stock === 0) {
        await row.destroy();
        adjustments.push({ productId: product.id, name: product.name, action: 'removed', reason: product.archivedAt ? 'archived' : 'out_of_stock', quantity: 0 });
        continue;
      }
      if (row.quantity > product.stock) {
        row.quantity = product.stock;
        await row.save();
        adjustments.push({ productId: product.id, name: product.name, action: 'clamped', reason: 'stock_reduced', quantity: row.quantity });
      }
      const price = shopperPrice(product, tier);
      items.push({
        productId: product.id,
        quantity: row.quantity,
        unitPrice: price.price,
        lineTotal: fromCents(price.priceCents * row.quantity),
        product: {
          id: product.id,
          sku: product.sku,
          name: product.name,
          imageUrl: imageUrlOf(product.image),
          unit: product.unit,
          stock: product.stock,
          listPrice: price.listPrice,
          discountPercent: price.discountPercent,
        },
      });
    }
    return {
      items,
      itemCount: items.reduce((n, i) => n + i.quantity, 0),
      total: fromCents(sumCents(items.map((i) => Math.round(i.lineTotal * 100)))),
      adjustments,
    };
  });
}

/** Adds to the existing line; the resulting quantity may not exceed the stock. */
export async function addCartItem(input: AddCartItemInput, user: UserActor): Promise<Cart> {
  return transaction(async () => {
    const product = await findActiveProduct(input.productId);
    const existing = await CartItem.findOne({ where: { userId: user.id, productId: product.id } });
    const quantity = (existing?.quantity ?? 0) + input.quantity;
    if (quantity > product.stock) throw tooMany(product, quantity);
    if (existing) await existing.update({ quantity });
    else await CartItem.create({ userId: user.id, productId: product.id, quantity });
    return getCart(user);
  });
}

export async function updateCartItem(productId: number, input: UpdateCartItemInput, user: UserActor): Promise<Cart> {
  return transaction(async () => {
    const existing = await CartItem.findOne({ where: { userId: user.id, productId } });
    if (!existing) throw notFound('Cart item');
    const product = await findActiveProduct(productId);
    if (input.quantity > product.stock) throw tooMany(product, input.quantity);
    await existing.update({ quantity: input.quantity });
    return getCart(user);
  });
}

export async function removeCartItem(productId: number, user: UserActor): Promise<Cart> {
  return transaction(async () => {
    const removed = await CartItem.destroy({ where: { userId: user.id, productId } });
    if (!removed) throw notFound('Cart item');
    return getCart(user);
  });
}

export async function clearCart(user: UserActor): Promise<void> {
  await CartItem.destroy({ where: { userId: user.id } });
}
