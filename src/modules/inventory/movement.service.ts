import type { WhereOptions } from 'sequelize';
import { dateRange } from '../../shared/date-range.js';
import { getSettings } from '../settings/settings.service.js';
import { offsetOf, type Page } from '../../shared/page.js';
import { Product } from '../products/product.model.js';
import { Location } from '../locations/location.model.js';
import { StockMovement } from './stock-movement.model.js';
import type { MovementsQuery } from './inventory.schemas.js';

/** The whole stock ledger, newest first, each row with its product. */
export async function listMovements(query: MovementsQuery): Promise<Page<StockMovement>> {
  const where: WhereOptions<StockMovement> = {};
  if (query.productId) Object.assign(where, { productId: query.productId });
  if (query.reason) Object.assign(where, { reason: query.reason });
  if (query.locationId) Object.assign(where, { locationId: query.locationId });
  const created = dateRange(query.from, query.to, (await getSettings()).timezone);
  if (created) Object.assign(where, { createdAt: created });
  const { rows, count } = await StockMovement.findAndCountAll({
    where,
    include: [
      { model: Product, as: 'product', attributes: ['id', 'sku', 'name'] },
      { model: Location, as: 'location', attributes: ['id', 'code', 'name'] },
    ],
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
    offset: offsetOf(query),
  });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

