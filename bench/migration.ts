/**
 * How long the locations migration (0004) takes on a database that already has
 * data: it is taken down and applied again on DATABASE_URL (a `seed:large`
 * set, say), timed, and the result checked (every ledger row at MAIN, levels
 * equal to products.stock).
 *
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/big npm run seed:large
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/big npm run bench:migration
 *
 * Run it on a copy you can lose: transfers and counts recorded there become
 * plain adjustments on the way down.
 */
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../src/config/index.js';
import { closeDatabase, db, initDatabase } from '../src/db/index.js';
import { createMigrator } from '../src/db/migrator.js';

const MIGRATION = '0004-locations';

const config = loadConfig();
const sequelize = initDatabase(config.databaseUrl);
const one = async (sql: string) => Number(Object.values((await db().query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT }))[0])[0] ?? 0);
try {
  const migrator = createMigrator(sequelize);
  if (!(await migrator.executed()).some((m) => m.name === MIGRATION)) await migrator.up({ to: MIGRATION });
  const [products, ledger, sales, purchases] = await Promise.all(['products', 'stock_movements', 'sales', 'purchases'].map((t) => one(`SELECT COUNT(*) FROM ${t}`)));
  console.log(`${config.databaseUrl.split(':')[0]}: ${products} products, ${ledger} ledger rows, ${sales} sales, ${purchases} purchases`);

  // Down to before 0004 (the later migrations first), timed as one.
  let started = performance.now();
  await migrator.down({ to: MIGRATION });
  console.log(`down ${MIGRATION} and later: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await migrator.up({ to: MIGRATION });
  const upSeconds = (performance.now() - started) / 1000;
  console.log(`up ${MIGRATION}: ${upSeconds.toFixed(1)} s`);
  // Taking 0004 down took the later migrations with it: they come back too (untimed).
  await migrator.up();

  const unplaced = await one("SELECT COUNT(*) FROM stock_movements m JOIN locations l ON l.id = m.location_id WHERE l.code <> 'MAIN'");
  const mismatched = await one('SELECT COUNT(*) FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id WHERE COALESCE(s.quantity, 0) <> p.stock');
  console.log(`check: ${unplaced} ledger rows outside MAIN, ${mismatched} products whose level differs from their stock`);
  if (unplaced || mismatched) process.exitCode = 1;
} finally {
  await closeDatabase();
}
