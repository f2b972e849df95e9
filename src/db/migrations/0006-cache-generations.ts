import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

/**
 * One counter per read cache (product list, dashboard), bumped after every
 * committed write to what it caches and read by every instance before it
 * serves a cached entry (when there is no Redis).
 */
export const migration: Migration = {
  name: '0006-cache-generations',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('cache_generations', {
      name: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      generation: { type: DataTypes.BIGINT, allowNull: false },
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('cache_generations');
  },
};
