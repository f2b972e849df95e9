import type { Transaction } from 'sequelize';
import { transaction } from '../../db/index.js';
import { insufficientStock, notFound } from '../../shared/errors.js';
import { fromCents, sumCents } from '../../shared/money.js';
import type { AuthUser } from '../../http/auth.js';
import { Product } from '../products/product.model.js';
import { findActiveProduct } from './catalog.service.js';
import { priceTierOf, shopperPrice } from './pricing.js';
import { imageUrlOf } from '../products/product-image.js';
import { CartItem } from './storefront.models.js';
import type { AddCartItemInput, Cart, UpdateCartItemInput } from './cart.schemas.js';

type Shopper = Pick<AuthUser, 'id' | 'role'>;
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
export async function getCart(user: Shopper, t?: Transaction): Promise<Cart> {
  const run = async (tx: Transaction) => {
    const rows = await CartItem.findAll({
      where: { userId: user.id },
      include: [{ model: Product, as: 'product' }],
      order: [['id', 'ASC']],
      transaction: tx,
    });
    const tier = priceTierOf(user.role);
    const adjustments: Adjustment[] = [];
    const items: Cart['items'] = [];
    for (const row of rows) {
      const product = (row as CartItem & { product: Product }).product;
      if (product.archivedAt || product.stock === 0) {
        await row.destroy({ transaction: tx });
        adjustments.push({ productId: product.id, name: product.name, action: 'removed', reason: product.archivedAt ? 'archived' : 'out_of_stock', quantity: 0 });
        continue;
      }
      if (row.quantity > product.stock) {
        row.quantity = product.stock;
        await row.save({ transaction: tx });
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
  };
  return t ? run(t) : transaction(run);
}

/** Adds to the existing line; the resulting quantity may not exceed the stock. */
export async function addCartItem(user: Shopper, input: AddCartItemInput): Promise<Cart> {
  return transaction(async (t) => {
    const product = await findActiveProduct(input.productId, { transaction: t });
    const existing = await CartItem.findOne({ where: { userId: user.id, productId: product.id }, transaction: t });
    const quantity = (existing?.quantity ?? 0) + input.quantity;
    if (quantity > product.stock) throw tooMany(product, quantity);
    if (existing) await existing.update({ quantity }, { transaction: t });
    else await CartItem.create({ userId: user.id, productId: product.id, quantity }, { transaction: t });
    return getCart(user, t);
  });
}

export async function updateCartItem(user: Shopper, productId: number, input: UpdateCartItemInput): Promise<Cart> {
  return transaction(async (t) => {
    const existing = await CartItem.findOne({ where: { userId: user.id, productId }, transaction: t });
    if (!existing) throw notFound('Cart item');
    const product = await findActiveProduct(productId, { transaction: t });
    if (input.quantity > product.stock) throw tooMany(product, input.quantity);
    await existing.update({ quantity: input.quantity }, { transaction: t });
    return getCart(user, t);
  });
}

export async function removeCartItem(user: Shopper, productId: number): Promise<Cart> {
  return transaction(async (t) => {
    const removed = await CartItem.destroy({ where: { userId: user.id, productId }, transaction: t });
    if (!removed) throw notFound('Cart item');
    return getCart(user, t);
  });
}

export async function clearCart(user: Shopper, t?: Transaction): Promise<void> {
  const run = async (tx: Transaction) => {
    await CartItem.destroy({ where: { userId: user.id }, transaction: tx });
  };
  await (t ? run(t) : transaction(run));
}
