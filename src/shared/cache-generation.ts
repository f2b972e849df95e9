import { getConfig } from '../config/index.js';
import { db, isSqlite, primaryRows } from '../db/index.js';
import { openRedis } from './redis.js';

/**
 * The shared generation of a read cache: every instance reads it before it
 * serves a cached entry, and a committed write bumps it (after the commit,
 * never inside the writing transaction), so a write on one instance empties
 * every instance's cache for the very next request. In Redis when REDIS_URL
 * is set, else in the database (table cache_generations).
 */
export async function readGeneration(name: string): Promise<string> {
  const config = getConfig();
  if (config.redisUrl) return (await (await openRedis()).get(`${config.redisPrefix}cache:${name}`)) ?? '0';
  const [row] = await primaryRows<{ generation: number | string }>('SELECT generation FROM cache_generations WHERE name = ?', [name], { outsideTransaction: true });
  return String(row?.generation ?? 0);
}

export async function bumpGeneration(name: string): Promise<void> {
  const config = getConfig();
  if (config.redisUrl) {
    await (await openRedis()).incr(`${config.redisPrefix}cache:${name}`);
    return;
  }
  const upsert = isSqlite()
    ? 'INSERT INTO cache_generations (name, generation) VALUES (:name, 1) ON CONFLICT (name) DO UPDATE SET generation = cache_generations.generation + 1'
    : 'INSERT INTO cache_generations (name, generation) VALUES (:name, 1) ON DUPLICATE KEY UPDATE generation = generation + 1';
  await db().query(upsert, { replacements: { name }, transaction: null });
}
