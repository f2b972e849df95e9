import type { createClient } from 'redis';
import { getConfig } from '../config/index.js';
import { logger } from './logger.js';

type RedisClient = ReturnType<typeof createClient>;

let library: typeof import('redis') | undefined;
let client: RedisClient | undefined;

/**
 * Loads the client library, before anything asks for `redis()` (prepareDatabase
 * does when REDIS_URL is set; `openRedis()` on its own): only an
 * instance with REDIS_URL pays for it (about 600 modules, a fifth of a second
 * of every start-up when it was imported unconditionally).
 */
export async function loadRedisLibrary(): Promise<void> {
  library ??= await import('redis');
}

/** The connection, the library loaded first when it is not yet: for callers that can wait. */
export async function openRedis(): Promise<RedisClient> {
  await loadRedisLibrary();
  return redis();
}

/**
 * The process's Redis connection (REDIS_URL), opened on first use. Commands
 * sent while it connects wait in the client's queue.
 */
export function redis(): RedisClient {
  if (!client) {
    if (!library) throw new Error('redis() before loadRedisLibrary()');
    const opened = library.createClient({ url: getConfig().redisUrl });
    opened.on('error', (err: Error) => logger().warn({ err: err.message }, 'redis connection error'));
    void opened.connect().catch((err: Error) => logger().error({ err: err.message }, 'redis connect failed'));
    client = opened;
  }
  return client;
}

export async function closeRedis(): Promise<void> {
  const closing = client;
  client = undefined;
  if (closing?.isOpen) await closing.close();
}
