import { createHash } from 'node:crypto';
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Sequelize } from 'sequelize';
import { getConfig } from '../config/index.js';
import { db, isSqlite, selectRows, transaction } from '../db/index.js';
import { redis } from './redis.js';

/** A counter row's key: the limiter's prefix and the client key (hashed when too long for the column). */
function rowKey(prefix: string, key: string): string {
  const full = prefix + key;
  return full.length <= 191 ? full : prefix + createHash('sha256').update(key).digest('hex');
}

/**
 * An express-rate-limit store in the database (table rate_limits), so every
 * instance on it counts the same hits. One upsert per hit bumps the counter
 * (or starts a new window once the old one ended), read back in the same
 * transaction, which holds the row: concurrent hits never share a count.
 */
export class DatabaseStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await selectRows<{ hits: number | string; reset_at: number | string }>('SELECT hits, reset_at FROM rate_limits WHERE `key` = :key AND reset_at > :now', {
      key: rowKey(this.prefix, key),
      now: Date.now(),
    });
    return row ? { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) } : undefined;
  }

  increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    const replacements = { key: rowKey(this.prefix, key), now, reset: now + this.windowMs };
    // Both dialects read the old reset_at in the second assignment: MySQL assigns left to right, SQLite from the old row.
    const upsert = isSqlite()
      ? `INSERT INTO rate_limits (\`key\`, hits, reset_at) VALUES (:key, 1, :reset)
         ON CONFLICT (\`key\`) DO UPDATE SET hits = CASE WHEN rate_limits.reset_at <= :now THEN 1 ELSE rate_limits.hits + 1 END,
           reset_at = CASE WHEN rate_limits.reset_at <= :now THEN :reset ELSE rate_limits.reset_at END`
      : `INSERT INTO rate_limits (\`key\`, hits, reset_at) VALUES (:key, 1, :reset)
         ON DUPLICATE KEY UPDATE hits = IF(reset_at <= :now, 1, hits + 1), reset_at = IF(reset_at <= :now, :reset, reset_at)`;
    return transaction(async () => {
      await db().query(upsert, { replacements });
      const [row] = await selectRows<{ hits: number | string; reset_at: number | string }>('SELECT hits, reset_at FROM rate_limits WHERE `key` = :key', replacements);
      // Now and then, sweep windows that ended long ago (a client that never came back).
      if (Math.random() < 0.01) await db().query('DELETE FROM rate_limits WHERE reset_at < :before', { replacements: { before: now - 3_600_000 } });
      return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
    });
  }

  async decrement(key: string): Promise<void> {
    await db().query('UPDATE rate_limits SET hits = hits - 1 WHERE `key` = :key AND hits > 0 AND reset_at > :now', { replacements: { key: rowKey(this.prefix, key), now: Date.now() } });
  }

  async resetKey(key: string): Promise<void> {
    await db().query('DELETE FROM rate_limits WHERE `key` = :key', { replacements: { key: rowKey(this.prefix, key) } });
  }
}

/**
 * The store a limiter counts in, shared by every instance: Redis when
 * REDIS_URL is set, else the database. `name` keeps each limiter's counters
 * apart (login, forgot-password, panel sign-in, AI budget...). Chosen on first
 * use, so routers can be built without a configuration (OpenAPI dump).
 */
export function sharedRateLimitStore(name: string): Store {
  let inner: Store | undefined;
  let options: Options | undefined;
  const store = () => {
    if (!inner) {
      inner = chooseStore(name);
      if (options) void inner.init?.(options);
    }
    return inner;
  };
  return {
    localKeys: false,
    prefix: `${name}:`,
    init: (given) => void (options = given),
    get: (key) => store().get?.(key),
    increment: (key) => store().increment(key),
    decrement: (key) => store().decrement(key),
    resetKey: (key) => store().resetKey(key),
  };
}

function chooseStore(name: string): Store {
  const config = getConfig();
  if (!config.redisUrl) return new DatabaseStore(`${name}:`);
  return new RedisStore({
    prefix: `${config.redisPrefix}rl:${name}:`,
    sendCommand: (...args: string[]) => redis().sendCommand(args) as Promise<RedisReply>,
  });
}

/**
 * A counter used outside a middleware (panel sign-in, AI budget): the store
 * for the database now open, made (and given its window) on first use.
 */
export function sharedCounter(name: string, windowMs: number): () => Store {
  const stores = new WeakMap<Sequelize, Store>();
  return () => {
    let store = stores.get(db());
    if (!store) {
      store = sharedRateLimitStore(name);
      void store.init?.({ windowMs } as Options);
      stores.set(db(), store);
    }
    return store;
  };
}
