import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';
import { fillSalesRollups, ROLLUP_TABLES } from '../../modules/analytics/sales-rollups.js';

/**
 * Sales rollups (see src/modules/analytics/sales-rollups.ts): per-day totals
 * and per-day figures by product, category and supplier, days in the
 * settings time zone, filled here from the existing sales and orders.
 */
const int = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
const money = () => ({ type: DataTypes.DECIMAL(14, 2), allowNull: false, defaultValue: 0 });
/** A revenue share: the database's exact quotient (9 decimals), summed without rounding. */
const share = () => ({ type: DataTypes.DECIMAL(24, 9), allowNull: false, defaultValue: 0 });
const day = () => ({ type: DataTypes.STRING(10), allowNull: false, primaryKey: true });

export const migration: Migration = {
  name: '0009-sales-rollups',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('sales_rollup_state', {
      id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      timezone: { type: DataTypes.STRING(64), allowNull: false },
    });
    await qi.createTable('sales_rollup_days', { day: day(), documents: int(), units: int(), revenue: money() });
    await qi.createTable('sales_rollup_products', {
      day: day(),
      product_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      units: int(),
      order_units: int(),
      line_count: int(),
      line_total: money(),
      revenue: share(),
      net_revenue: share(),
      sale_cost: money(),
    });
    await qi.addIndex('sales_rollup_products', ['product_id', 'day'], { name: 'sales_rollup_products_product_day' });
    await qi.createTable('sales_rollup_categories', { day: day(), category: { type: DataTypes.STRING(80), allowNull: false, primaryKey: true }, units: int(), line_count: int(), revenue: share() });
    await qi.createTable('sales_rollup_suppliers', { day: day(), supplier_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true }, units: int(), line_count: int(), revenue: share() });

    const [setting] = await qi.sequelize.query<{ value: string | null }>("SELECT value FROM settings WHERE `key` = 'timezone'", { type: QueryTypes.SELECT });
    let timeZone = 'UTC';
    try {
      const stored = setting?.value ? (JSON.parse(setting.value) as unknown) : null;
      if (typeof stored === 'string' && stored) timeZone = stored;
    } catch {
      // Not JSON: the default zone, as the settings service reads it.
    }
    await fillSalesRollups(qi.sequelize, timeZone);
  },
  async down({ context: qi }: { context: QueryInterface }) {
    for (const table of [...ROLLUP_TABLES, 'sales_rollup_state']) await qi.dropTable(table);
  },
};
