import { fromCents, percentOf, toCents } from '../../shared/money.js';
import type { Product } from '../products/product.model.js';

/** Storefront price tiers: retailers see retailer prices, everyone else (anonymous included) customer prices. */
export type PriceTier = 'customer' | 'retailer';

export function priceTierOf(role: string | undefined | null): PriceTier {
  return role === 'retailer' ? 'retailer' : 'customer';
}

export interface ShopperPrice {
  listPrice: number;
  /** The product discount that applies to this tier (0 when the product targets another tier). */
  discountPercent: number;
  price: number;
  priceCents: number;
}

/** A product's discount applies when it targets everyone or the shopper's own tier. */
export function shopperPrice(product: Pick<Product, 'price' | 'discountPercent' | 'targetRole'>, tier: PriceTier): ShopperPrice {
  const listCents = toCents(product.price);
  const applies = product.targetRole === 'all' || product.targetRole === tier;
  const discountPercent = applies ? Number(product.discountPercent) : 0;
  const priceCents = listCents - percentOf(listCents, discountPercent);
  return { listPrice: fromCents(listCents), discountPercent, price: fromCents(priceCents), priceCents };
}
