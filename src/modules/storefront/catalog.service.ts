import { Op, literal, where as sqlWhere, type OrderItem as SqlOrder, type WhereOptions } from 'sequelize';
import { notFound } from '../../shared/errors.js';
import { orderFrom, type Page } from '../../shared/page.js';
import { Product } from '../products/product.model.js';
import { shopperPrice, type PriceTier } from './pricing.js';
import { imageUrlOf } from '../products/product-image.js';
import { productSearch } from '../products/product-search.js';
import { ratingsFor, type RatingSummary } from './rating.service.js';
import type { CatalogListQuery, ShopProduct } from './catalog.schemas.js';

/** Shoppers only ever see products that are not archived. */
export const ACTIVE = { archivedAt: null } as const;

/** The tier's price in SQL, for sorting and price filters (tier is one of two fixed words, never user text). */
function effectivePriceSql(tier: PriceTier): string {
  return `(price - ROUND(price * (CASE WHEN target_role IN ('all', '${tier}') THEN discount_percent ELSE 0 END) / 100, 2))`;
}

const RATING_SQL = '(SELECT AVG(r.rating) FROM reviews r WHERE r.product_id = Product.id)';

export function toShopProduct(product: Product, tier: PriceTier, rating?: RatingSummary): ShopProduct {
  const { listPrice, discountPercent, price } = shopperPrice(product, tier);
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description ?? null,
    category: product.category,
    unit: product.unit,
    imageUrl: imageUrlOf(product.image),
    listPrice,
    discountPercent,
    price,
    stock: product.stock,
    inStock: product.stock > 0,
    rating: rating ?? { average: null, count: 0 },
  };
}

export async function listCatalog(query: CatalogListQuery, tier: PriceTier): Promise<Page<ShopProduct>> {
  const conditions: WhereOptions<Product>[] = [ACTIVE];
  if (query.category) conditions.push({ category: query.category });
  const search = query.search ? await productSearch(query.search, 'Product') : undefined;
  if (search) conditions.push(literal(search.where) as WhereOptions<Product>);
  const priceSql = literal(effectivePriceSql(tier));
  if (query.minPrice !== undefined) conditions.push(sqlWhere(priceSql, Op.gte, query.minPrice) as WhereOptions<Product>);
  if (query.maxPrice !== undefined) conditions.push(sqlWhere(priceSql, Op.lte, query.maxPrice) as WhereOptions<Product>);

  const [field, direction] = orderFrom(query.sort, 'name');
  const order: SqlOrder[] =
    field === 'price' ? [[priceSql, direction]] : field === 'rating' ? [[literal(RATING_SQL), direction]] : [[field, direction]];
  const { rows, count } = await Product.findAndCountAll({
    where: { [Op.and]: conditions },
    order: [...(search ? [[literal(search.rank), 'ASC'] as SqlOrder] : []), ...order, ['id', 'ASC']],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  const ratings = await ratingsFor(rows.map((p) => p.id));
  return { data: rows.map((p) => toShopProduct(p, tier, ratings.get(p.id))), page: query.page, limit: query.limit, total: count };
}

export async function getCatalogProduct(id: number, tier: PriceTier): Promise<ShopProduct> {
  const product = await findActiveProduct(id);
  const ratings = await ratingsFor([id]);
  return toShopProduct(product, tier, ratings.get(id));
}

/** Unknown and archived products look the same to shoppers: 404. */
export async function findActiveProduct(id: number): Promise<Product> {
  const product = await Product.findOne({ where: { id, ...ACTIVE } });
  if (!product) throw notFound('Product');
  return product;
}
