import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationParams } from 'umzug';
import { migration as initialSchema } from './migrations/0001-initial-schema.js';
import { migration as reportingIndexes } from './migrations/0002-reporting-indexes.js';
import { migration as invariantsAndMsTimestamps } from './migrations/0003-invariants-and-ms-timestamps.js';
import { migration as locations } from './migrations/0004-locations.js';
import { migration as rateLimits } from './migrations/0005-rate-limits.js';
import { migration as cacheGenerations } from './migrations/0006-cache-generations.js';
import { migration as mailOutbox } from './migrations/0007-mail-outbox.js';
import { migration as productSearch } from './migrations/0008-product-search.js';
import { migration as salesRollups } from './migrations/0009-sales-rollups.js';
import { migration as stockFigureIndex } from './migrations/0010-stock-figure-index.js';

export interface Migration {
  name: string;
  up(params: MigrationParams<QueryInterface>): Promise<void>;
  down(params: MigrationParams<QueryInterface>): Promise<void>;
}

/** Listed explicitly (not globbed) so the same list runs under tsx and from dist/. */
const MIGRATIONS: Migration[] = [initialSchema, reportingIndexes, invariantsAndMsTimestamps, locations, rateLimits, cacheGenerations, mailOutbox, productSearch, salesRollups, stockFigureIndex];

export function createMigrator(sequelize: Sequelize) {
  return new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const applied = await createMigrator(sequelize).up();
  return applied.map((m) => m.name);
}
