import { QueryTypes } from 'sequelize';
import { centsSum, db } from '../../db/index.js';
import { fromCents, sumCents } from '../../shared/money.js';

export interface ValuationFigures {
  units: number;
  costValue: number;
  retailValue: number;
}

export interface StockValuation {
  totals: ValuationFigures;
  byCategory: (ValuationFigures & { category: string })[];
}

interface CategoryRow {
  category: string;
  units: string | number | null;
  cost_cents: string | number | null;
  retail_cents: string | number | null;
}

/**
 * Stock of active products valued at cost and at list price, per category and
 * in total. Prices are summed as integer cents in SQL, so SQLite (floating
 * point) and MariaDB (DECIMAL) give the same exact figures.
 */
export async function stockValuation(): Promise<StockValuation> {
  const rows = await db().query<CategoryRow>(
    `SELECT category,
            SUM(stock) AS units,
            ${centsSum('stock', 'cost_price')} AS cost_cents,
            ${centsSum('stock', 'price')} AS retail_cents
       FROM products
      WHERE archived_at IS NULL
      GROUP BY category
      ORDER BY category`,
    { type: QueryTypes.SELECT },
  );
  const byCategory = rows.map((r) => ({
    category: r.category,
    units: Number(r.units ?? 0),
    costCents: Number(r.cost_cents ?? 0),
    retailCents: Number(r.retail_cents ?? 0),
  }));
  return {
    totals: {
      units: byCategory.reduce((a, r) => a + r.units, 0),
      costValue: fromCents(sumCents(byCategory.map((r) => r.costCents))),
      retailValue: fromCents(sumCents(byCategory.map((r) => r.retailCents))),
    },
    byCategory: byCategory.map((r) => ({ category: r.category, units: r.units, costValue: fromCents(r.costCents), retailValue: fromCents(r.retailCents) })),
  };
}
