import { LRUCache } from 'lru-cache';
import type { ModelStatic, Model, Transaction } from 'sequelize';
import { bumpGeneration, readGeneration } from './cache-generation.js';
import { logger } from './logger.js';
import { afterCommitOnce } from '../db/index.js';
import { coalesced } from './coalesce.js';

const WRITE_HOOKS = ['afterCreate', 'afterUpdate', 'afterDestroy', 'afterBulkCreate', 'afterBulkUpdate', 'afterBulkDestroy', 'afterUpsert'] as const;

/**
 * A short-lived cache of read results that never outlives a write, on this
 * instance or another: every committed write to a watched model (services,
 * panel and seeders alike, through Sequelize hooks) starts a new local
 * generation and bumps the shared one (database or Redis) before the commit
 * returns, and each read checks the shared generation first, so entries of an
 * older generation are never served anywhere. A read that was running while a
 * write committed is not stored. The bump runs after the commit, never inside
 * the writing transaction (no hot row in a sale). Nothing that decides a write
 * (stock checks in a sale) reads through it.
 */
export class ReadCache<V extends object> {
  private generation = 0;
  private readonly entries: LRUCache<string, { generation: number; shared: string; value: V }>;
  private readonly name: string;
  private readonly hookName: string;
  private readonly shared: boolean;
  private readonly ttlMs: number;

  /**
   * `shared: false` keeps the generation on this instance only: a write here
   * still empties it at once, but other instances serve their entries until
   * they expire (ttlMs), and a hit costs no read of the shared generation.
   */
  constructor(options: { name: string; max: number; ttlMs: number; shared?: boolean }) {
    this.name = options.name;
    this.shared = options.shared ?? true;
    this.ttlMs = options.ttlMs;
    this.hookName = `readCache:${options.name}`;
    this.entries = new LRUCache({ max: options.max, ttl: options.ttlMs });
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const shared = this.shared ? await this.readShared() : '';
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && hit.shared === shared) return hit.value;
    const generation = this.generation;
    const started = performance.now();
    const value = await load();
    // The entry lives ttlMs from when its read began, not from when it ended: a write committed during a
    // slow read is not served for longer than ttlMs after it.
    const ttl = Math.floor(this.ttlMs - (performance.now() - started));
    if (generation === this.generation && ttl > 0) this.entries.set(key, { generation, shared, value }, { ttl });
    return value;
  }

  /** Drops this instance's entries only (models initialised again, tests). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * The shared generation, read for many requests at once: each waits for a
   * read that began after it asked (coalesced), so a write committed anywhere
   * before a request arrived is seen, and a burst of requests costs two reads.
   */
  private readonly readShared = coalesced(() => readGeneration(this.name));

  /**
   * After a committed write: drops the entries here and bumps the shared
   * generation (awaited by the commit). Bumps coalesce: a write that commits
   * while one is running waits for the next, which starts after it and serves
   * every write that arrived meanwhile, so a burst of sales costs two bumps,
   * not one per sale.
   */
  invalidate(): Promise<void> {
    this.clear();
    return this.shared ? this.bumpShared() : Promise.resolve();
  }

  private readonly bumpShared = coalesced(() => this.bumpOnce());

  private async bumpOnce(): Promise<void> {
    try {
      await bumpGeneration(this.name);
    } catch (err) {
      // Entries elsewhere still expire within their TTL.
      logger().warn({ err: (err as Error).message, cache: this.name }, 'read cache generation bump failed');
    }
  }

  /** Invalidates after every committed write to these models (or at once outside a transaction); watching again replaces the hooks. */
  watch(...models: ModelStatic<Model>[]): this {
    const onWrite = (...args: unknown[]) => {
      const options = args[args.length - 1] as { transaction?: Transaction | null } | undefined;
      // One bump per commit, however many rows it wrote.
      afterCommitOnce(this, () => this.invalidate(), options?.transaction ?? null);
    };
    for (const model of models) {
      for (const hook of WRITE_HOOKS) {
        model.removeHook(hook, this.hookName);
        model.addHook(hook, this.hookName, onWrite as never);
      }
    }
    return this;
  }
}
