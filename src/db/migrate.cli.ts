import { loadConfig, ConfigError } from '../config/index.js';
import { closeDatabase, initDatabase, withStartupLock } from './index.js';
import { migrate } from './migrator.js';

try {
  const config = loadConfig();
  const sequelize = initDatabase(config.databaseUrl, config.dbTimeouts);
  const applied = await withStartupLock(sequelize, () => migrate(sequelize));
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date.');
  await closeDatabase();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
