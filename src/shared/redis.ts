import { createClient } from 'redis';
import { getConfig } from '../config/index.js';
import { logger } from './logger.js';

type RedisClient = ReturnType<typeof createClient>;

let client: RedisClient | undefined;

/**
 * The process's Redis connection (REDIS_URL), opened on first use. Commands
 * sent while it connects wait in the client's queue.
 */
export function redis(): RedisClient {
  if (!client) {
    const opened = createClient({ url: getConfig().redisUrl });
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
