import { ConfigError, loadConfig, useConfig } from '../src/config/index.js';
import { prepareDatabase } from '../src/bootstrap.js';
import { closeDatabase } from '../src/db/index.js';
import { seedDemoData } from './demo.seeder.js';

try {
  const config = useConfig(loadConfig());
  await prepareDatabase({ ...config, seedDemo: false });
  const started = Date.now();
  const result = await seedDemoData();
  console.log(
    result.sales || result.purchases
      ? `Seeded demo data: ${result.sales} sales, ${result.purchases} purchases in ${Date.now() - started} ms.`
      : 'Demo data already present: nothing to do.',
  );
  await closeDatabase();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Seeding failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
