import type { Migration } from '../migrator.js';

/**
 * Covering indexes for period reports on large histories: sales by date with
 * their status and total, and sale lines by date (lines carry their sale's
 * date) with what the reports sum, so a year of figures is an index range scan.
 */
const INDEXES = [
  { table: 'sales', name: 'sales_created_at_status_total', fields: ['created_at', 'status', 'total'] },
  { table: 'sale_items', name: 'sale_items_created_at_product_id', fields: ['created_at', 'product_id', 'quantity', 'line_total', 'sale_id'] },
];

export const migration: Migration = {
  name: '0002-reporting-indexes',
  async up({ context: qi }) {
    for (const index of INDEXES) await qi.addIndex(index.table, index.fields, { name: index.name });
  },
  async down({ context: qi }) {
    for (const index of INDEXES) await qi.removeIndex(index.table, index.name);
  },
};
