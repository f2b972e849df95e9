import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

/**
 * Rate-limit counters every instance shares when there is no Redis: one row
 * per (limiter prefix + client key), its hits and when its window ends
 * (milliseconds since the epoch). Rows of ended windows are swept as it goes.
 */
export const migration: Migration = {
  name: '0005-rate-limits',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('rate_limits', {
      key: { type: DataTypes.STRING(191), primaryKey: true, allowNull: false },
      hits: { type: DataTypes.INTEGER, allowNull: false },
      reset_at: { type: DataTypes.BIGINT, allowNull: false },
    });
    await qi.addIndex('rate_limits', ['reset_at'], { name: 'rate_limits_reset_at' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('rate_limits');
  },
};
