import { Op, col, fn, where as whereSql } from 'sequelize';
import type { Page } from '../../shared/page.js';
import { getSettings } from '../settings/settings.service.js';
import { Product } from '../products/product.model.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Location } from '../locations/location.model.js';
import { StockLevel } from './stock-level.model.js';
import { badRequest } from '../../shared/errors.js';
import type { LowStockQuery } from './inventory.schemas.js';

/** A product's own threshold, else the shop-wide one: `threshold(product) = COALESCE(low_stock_threshold, default)`. */
export function effectiveThreshold(product: Pick<Product, 'lowStockThreshold'>, shopDefault: number): number {
  return product.lowStockThreshold ?? shopDefault;
}

/** The same rule as a SQL expression over `products` (aliased `alias`). */
export function thresholdSql(shopDefault: number, alias = 'p'): string {
  return `COALESCE(${alias}.low_stock_threshold, ${Math.trunc(shopDefault)})`;
}

export interface LowStockItem {
  id: number;
  sku: string;
  name: string;
  category: string;
  stock: number;
  lowStockThreshold: number | null;
  threshold: number;
  reorderQuantity: number | null;
  price: number;
  costPrice: number;
  supplierId: number | null;
  supplier: { id: number; name: string } | null;
  location?: { id: number; code: string; quantity: number };
}

/** Active products at or below their threshold (or `query.threshold`), fewest in stock first. */
export async function listLowStock(query: LowStockQuery): Promise<Page<LowStockItem>> {
  const shopDefault = (await getSettings()).lowStockThreshold;
  const limit = query.threshold ?? fn('COALESCE', col('Product.low_stock_threshold'), shopDefault);
  const location = query.locationId ? await Location.findByPk(query.locationId) : null;
  if (query.locationId && !location) throw badRequest(`Unknown location ${query.locationId}`, [{ path: 'locationId', message: 'no such location' }]);
  const held = location ? col('levels.quantity') : col('Product.stock');
  const { rows, count } = await Product.findAndCountAll({
    where: { archivedAt: null, [Op.and]: [whereSql(held, Op.lte, limit)] },
    include: [
      { model: Supplier, as: 'supplier', attributes: ['id', 'name'] },
      ...(location ? [{ model: StockLevel, as: 'levels', attributes: ['quantity'], where: { locationId: location.id }, required: true }] : []),
    ],
    distinct: true,
    order: [
      [held, 'ASC'],
      ['name', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
    subQuery: false,
  });
  const data = rows.map((p) => {
    const supplier = (p as Product & { supplier?: Supplier | null }).supplier;
    const level = (p as Product & { levels?: StockLevel[] }).levels?.[0];
    return {
      id: p.id,
      sku: p.sku,
      name: p.name,
      category: p.category,
      stock: p.stock,
      lowStockThreshold: p.lowStockThreshold,
      threshold: query.threshold ?? effectiveThreshold(p, shopDefault),
      reorderQuantity: p.reorderQuantity,
      price: p.price,
      costPrice: p.costPrice,
      supplierId: p.supplierId,
      supplier: supplier ? { id: supplier.id, name: supplier.name } : null,
      ...(location ? { location: { id: location.id, code: location.code, quantity: level?.quantity ?? 0 } } : {}),
    };
  });
  return { data, page: query.page, limit: query.limit, total: count };
}
