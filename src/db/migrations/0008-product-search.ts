import type { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

const isSqlite = (qi: QueryInterface) => qi.sequelize.getDialect() === 'sqlite';

/** The columns product search reads, in index order. */
const COLUMNS = ['name', 'sku', 'barcode', 'description'];
const list = (prefix = '') => COLUMNS.map((c) => `${prefix}${c}`).join(', ');

/**
 * A full-text index over product name, SKU, barcode and description: an
 * InnoDB FULLTEXT index on MySQL/MariaDB; on SQLite an FTS5 table over the
 * products table (external content, rowid = product id) kept in step by
 * triggers on insert, delete and any change of those four columns (a sale's
 * stock update does not touch it). Underscore counts as a word character on
 * both, like InnoDB's parser. (Exact SKU and barcode hits use the existing
 * unique SKU and barcode indexes.)
 */
export const migration: Migration = {
  name: '0008-product-search',
  async up({ context: qi }: { context: QueryInterface }) {
    const q = (sql: string) => qi.sequelize.query(sql);
    if (!isSqlite(qi)) {
      await q(`ALTER TABLE products ADD FULLTEXT INDEX products_search (${list()})`);
      return;
    }
    await q(
      `CREATE VIRTUAL TABLE products_fts USING fts5(${list()}, content='products', content_rowid='id', tokenize="unicode61 remove_diacritics 2 tokenchars '_'")`,
    );
    const insert = `INSERT INTO products_fts (rowid, ${list()}) VALUES (new.id, ${list('new.')});`;
    const remove = `INSERT INTO products_fts (products_fts, rowid, ${list()}) VALUES ('delete', old.id, ${list('old.')});`;
    await q(`CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN ${insert} END`);
    await q(`CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN ${remove} END`);
    await q(`CREATE TRIGGER products_fts_update AFTER UPDATE OF id, ${list()} ON products BEGIN ${remove} ${insert} END`);
    await q(`INSERT INTO products_fts (products_fts) VALUES ('rebuild')`);
  },
  async down({ context: qi }: { context: QueryInterface }) {
    const q = (sql: string) => qi.sequelize.query(sql);
    if (isSqlite(qi)) {
      for (const trigger of ['products_fts_insert', 'products_fts_delete', 'products_fts_update']) await q(`DROP TRIGGER IF EXISTS ${trigger}`);
      await q('DROP TABLE IF EXISTS products_fts');
    } else {
      await q('ALTER TABLE products DROP INDEX products_search');
    }
  },
};
