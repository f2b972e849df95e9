import { ConfigError, loadConfig, useConfig } from '../../config/index.js';
import { closeDatabase, initDatabase } from '../../db/index.js';
import { getSettings } from '../settings/settings.service.js';
import { rebuildSalesRollups } from './sales-rollups.js';

/** `npm run rollups:rebuild`: the sales rollups rebuilt from the base tables in the settings time zone (one transaction). */
try {
  const config = useConfig(loadConfig());
  initDatabase(config.databaseUrl, config.dbTimeouts);
  const { timezone } = await getSettings();
  const started = Date.now();
  await rebuildSalesRollups(timezone);
  console.log(`Sales rollups rebuilt (time zone ${timezone}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  await closeDatabase();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Rebuild failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
