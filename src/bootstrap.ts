import type { Sequelize } from 'sequelize';
import type { Config } from './config/index.js';
import { initDatabase, initReportReplicas, withStartupLock } from './db/index.js';
import { loadRedisLibrary } from './shared/redis.js';
import { createMigrator, migrate } from './db/migrator.js';
import { User } from './modules/users/user.model.js';
import { hashPassword } from './modules/auth/password.js';
import { recordAudit } from './modules/audit/audit.service.js';
import { Product } from './modules/products/product.model.js';
import { seedDemoData } from '../seeders/demo.seeder.js';
import { logger } from './shared/logger.js';

export interface BootResult {
  appliedMigrations: string[];
  adminCreated: boolean;
  seeded: boolean;
}

/** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists (`hashing`: its password's hash, when already under way). */
export async function ensureFirstAdmin(config: Readonly<Config>, hashing?: Promise<string>): Promise<boolean> {
  if (await User.count({ where: { role: 'admin' } })) return false;
  const existing = await User.findOne({ where: { email: config.adminEmail } });
  const passwordHash = await (hashing ?? hashPassword(config.adminPassword));
  const admin = existing
    ? await existing.update({ role: 'admin', passwordHash })
    : await User.create({ name: 'Administrator', email: config.adminEmail, passwordHash, role: 'admin' });
  await recordAudit({ userId: admin.id, action: 'user.create', entityType: 'user', entityId: admin.id, changes: { email: admin.email, role: 'admin', source: 'bootstrap' } });
  return true;
}

/**
 * Database ready to serve: migrated, first admin present, demo data in an
 * empty database. Done under the database's start-up lock, so instances
 * started together do it once and the others find it done. With REDIS_URL,
 * the Redis client library is loaded meanwhile (the shared stores use it).
 */
export async function prepareDatabase(config: Readonly<Config>): Promise<BootResult> {
  if (config.redisUrl) await loadRedisLibrary();
  const sequelize = initDatabase(config.databaseUrl, config.dbTimeouts);
  initReportReplicas(config.databaseReadUrls, config.dbTimeouts);
  return withStartupLock(sequelize, () => prepareLocked(config, sequelize));
}

async function prepareLocked(config: Readonly<Config>, sequelize: Sequelize): Promise<BootResult> {
  // A database with no migration applied has no admin yet: the first admin's password is hashed
  // (bcrypt, a quarter of a second of a worker thread) while the migrations run.
  const hashing = (await createMigrator(sequelize).executed()).length === 0 ? hashPassword(config.adminPassword) : undefined;
  hashing?.catch(() => undefined);
  const appliedMigrations = await migrate(sequelize);
  const adminCreated = await ensureFirstAdmin(config, hashing);
  let seeded = false;
  if (config.seedDemo && (await Product.count()) === 0) {
    const started = Date.now();
    await seedDemoData();
    seeded = true;
    logger().info({ ms: Date.now() - started }, 'demo data seeded');
  }
  return { appliedMigrations, adminCreated, seeded };
}
