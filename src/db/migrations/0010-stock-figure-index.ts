import type { Migration } from '../migrator.js';

/**
 * A covering index for the stock figures of active products (dashboard
 * counts and value, stock value by category, low-stock counts): they read it
 * instead of every product row, in category order. On 100,000 products the
 * value by category went from 146 to 34 ms on MariaDB. (The value by location
 * is these totals less what the other locations hold: see stockValueByLocation.)
 */
const INDEX = { table: 'products', name: 'products_archived_at_category_stock', fields: ['archived_at', 'category', 'stock', 'low_stock_threshold', 'cost_price', 'price'] };

export const migration: Migration = {
  name: '0010-stock-figure-index',
  async up({ context: qi }) {
    await qi.addIndex(INDEX.table, INDEX.fields, { name: INDEX.name });
  },
  async down({ context: qi }) {
    await qi.removeIndex(INDEX.table, INDEX.name);
  },
};
