import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, useConfig } from '../src/config/index.js';
import { prepareDatabase } from '../src/bootstrap.js';
import { closeDatabase } from '../src/db/index.js';
import { seedLargeData } from './large.seeder.js';

const USAGE = 'Usage: npm run seed:large -- [--products 100000] [--sales 1000000] [--days 730] [--suppliers N]';

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--${name} must be a positive whole number (got '${value}')\n${USAGE}`);
  return n;
}

try {
  const { values } = parseArgs({
    options: { products: { type: 'string' }, sales: { type: 'string' }, days: { type: 'string' }, suppliers: { type: 'string' } },
    strict: true,
  });
  const options = {
    products: positive('products', values.products, 100_000),
    sales: positive('sales', values.sales, 1_000_000),
    days: positive('days', values.days, 730),
    suppliers: values.suppliers === undefined ? undefined : positive('suppliers', values.suppliers, 1),
  };
  const config = useConfig(loadConfig());
  await prepareDatabase({ ...config, seedDemo: false });

  const bars = new cliProgress.MultiBar({ format: '{stage} [{bar}] {percentage}% | {value}/{total} | {duration}s', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5000 }, cliProgress.Presets.shades_classic);
  const stages = new Map<string, cliProgress.SingleBar>();
  const result = await seedLargeData({
    ...options,
    onProgress(stage, done, total) {
      let bar = stages.get(stage);
      if (!bar) stages.set(stage, (bar = bars.create(total, 0, { stage: stage.padEnd(9) })));
      bar.update(done);
    },
  });
  bars.stop();
  console.log(
    `Seeded ${result.products} products, ${result.suppliers} suppliers, ${result.sales} sales (${result.saleLines} lines), ` +
      `${result.purchases} purchases and ${result.movements} ledger rows in ${(result.ms / 1000).toFixed(1)} s.`,
  );
  await closeDatabase();
} catch (err) {
  const message = err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (err as Error).message : `Seeding failed: ${(err as Error).message}`;
  console.error(message);
  process.exitCode = 1;
}
