import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction } from 'sequelize';

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/** `sqlite:./data/x.sqlite`, `sqlite:/abs/x.sqlite` or `sqlite::memory:` to a storage path. */
export function sqliteStorage(url: string): string {
  const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return rest === ':memory:' ? rest : path.resolve(rest);
}

export function createSequelize(url: string): Sequelize {
  if (dialectOf(url) === 'sqlite') {
    const storage = sqliteStorage(url);
    if (storage !== ':memory:') mkdirSync(path.dirname(storage), { recursive: true });
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging: false,
      transactionType: Transaction.TYPES.IMMEDIATE,
      define: { underscored: true },
    });
    sequelize.addHook('afterConnect', async (connection) => {
      const db = connection as { run(sql: string, cb: (err: Error | null) => void): void };
      for (const pragma of ['PRAGMA journal_mode = WAL', 'PRAGMA busy_timeout = 10000', 'PRAGMA foreign_keys = ON', 'PRAGMA synchronous = NORMAL']) {
        await new Promise<void>((resolve, reject) => db.run(pragma, (err) => (err ? reject(err) : resolve())));
      }
    });
    return sequelize;
  }
  return new Sequelize(url, {
    dialect: 'mysql',
    logging: false,
    timezone: '+00:00',
    define: { underscored: true, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
    dialectOptions: { decimalNumbers: false, dateStrings: false, supportBigNumbers: true },
    pool: { max: 20, min: 0, idle: 10_000, acquire: 30_000 },
  });
}
