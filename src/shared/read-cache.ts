import { LRUCache } from 'lru-cache';
import type { ModelStatic, Model, Transaction } from 'sequelize';

const WRITE_HOOKS = ['afterCreate', 'afterUpdate', 'afterDestroy', 'afterBulkCreate', 'afterBulkUpdate', 'afterBulkDestroy', 'afterUpsert'] as const;

/**
 * A short-lived cache of read results that never outlives a write: every
 * committed write to a watched model (services, panel and seeders alike, through
 * Sequelize hooks) starts a new generation, and entries of an older generation
 * are never served. A read that was running while a write committed is not
 * stored. The TTL bounds what another instance's writes can leave behind here.
 * Nothing that decides a write (stock checks in a sale) reads through it.
 */
export class ReadCache<V extends object> {
  private generation = 0;
  private readonly entries: LRUCache<string, { generation: number; value: V }>;

  private readonly hookName: string;

  constructor(options: { name: string; max: number; ttlMs: number }) {
    this.hookName = `readCache:${options.name}`;
    this.entries = new LRUCache({ max: options.max, ttl: options.ttlMs });
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.entries.set(key, { generation, value });
    return value;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Invalidates after every committed write to these models (or at once outside a transaction); watching again replaces the hooks. */
  watch(...models: ModelStatic<Model>[]): this {
    const onWrite = (...args: unknown[]) => {
      const options = args[args.length - 1] as { transaction?: Transaction | null } | undefined;
      if (options?.transaction) options.transaction.afterCommit(() => this.invalidate());
      else this.invalidate();
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
