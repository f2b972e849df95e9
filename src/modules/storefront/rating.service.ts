import { fn, col } from 'sequelize';
import { Review } from './storefront.models.js';

export interface RatingSummary {
  average: number | null;
  count: number;
}

/** Average (2 decimals) and count per product; products without reviews are absent from the map. */
export async function ratingsFor(productIds: number[]): Promise<Map<number, RatingSummary>> {
  const result = new Map<number, RatingSummary>();
  if (!productIds.length) return result;
  const rows = (await Review.findAll({
    attributes: ['productId', [fn('AVG', col('rating')), 'average'], [fn('COUNT', col('id')), 'count']],
    where: { productId: productIds },
    group: ['productId'],
    raw: true,
  })) as unknown as { productId: number; average: string | number; count: string | number }[];
  for (const row of rows) result.set(Number(row.productId), toSummary(row.average, row.count));
  return result;
}

/** AVG/COUNT come back as strings on MariaDB and numbers on SQLite. */
export function toSummary(average: string | number | null, count: string | number | null): RatingSummary {
  const n = Number(count ?? 0);
  return { average: n ? Math.round(Number(average) * 100) / 100 : null, count: n };
}
