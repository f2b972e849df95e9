import { Op, type WhereOptions } from 'sequelize';
import type { Page } from '../../shared/page.js';
import { Product } from '../products/product.model.js';
import { StockMovement } from './stock-movement.model.js';
import type { MovementsQuery } from './inventory.schemas.js';

/** The whole stock ledger, newest first, each row with its product. */
export async function listMovements(query: MovementsQuery): Promise<Page<StockMovement>> {
  const where: WhereOptions<StockMovement> = {};
  if (query.productId) Object.assign(where, { productId: query.productId });
  if (query.reason) Object.assign(where, { reason: query.reason });
  if (query.from || query.to) {
    Object.assign(where, {
      createdAt: { ...(query.from ? { [Op.gte]: query.from } : {}), ...(query.to ? { [Op.lte]: query.to } : {}) },
    });
  }
  const { rows, count } = await StockMovement.findAndCountAll({
    where,
    include: [{ model: Product, as: 'product', attributes: ['id', 'sku', 'name'] }],
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

