import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import type { Migration } from '../migrator.js';
import { rebuildSqliteTables, withOnDelete, type OnDelete } from '../sqlite-rebuild.js';

/**
 * The invariants the services keep, kept by the database too (CHECK
 * constraints, and foreign keys that refuse a delete instead of silently
 * nulling or cascading), and millisecond timestamps on MySQL/MariaDB
 * (DATETIME(3)), so both databases order and filter the same.
 *
 * Frozen like every migration: later tables and rules get migrations of their own.
 * CHECKs are named ck_<table>__<column> so an error can name the field (src/db/rule-errors.ts).
 */

/** The tables of 0001, whose DATETIME columns gain milliseconds on MySQL/MariaDB. */
const TABLES = [
  'users', 'suppliers', 'products', 'sales', 'sale_items', 'purchases', 'purchase_items', 'stock_movements', 'stock_alerts',
  'audit_logs', 'settings', 'sequences', 'coupons', 'coupon_users', 'cart_items', 'wishlist_items', 'orders', 'order_items',
  'reviews', 'sessions',
];

const CHECKS: Record<string, [column: string, condition: string][]> = {
  users: [['token_version', 'token_version >= 0']],
  suppliers: [['lead_time_days', 'lead_time_days >= 0']],
  products: [
    ['stock', 'stock >= 0'],
    ['price', 'price >= 0'],
    ['cost_price', 'cost_price >= 0'],
    ['discount_percent', 'discount_percent >= 0 AND discount_percent <= 100'],
    ['low_stock_threshold', 'low_stock_threshold IS NULL OR low_stock_threshold >= 0'],
    ['reorder_quantity', 'reorder_quantity IS NULL OR reorder_quantity >= 0'],
  ],
  sales: [
    // discount >= 0 and discount <= subtotal also keep the subtotal from going negative.
    ['discount', 'discount >= 0 AND discount <= subtotal'],
    ['tax_rate', 'tax_rate >= 0 AND tax_rate <= 100'],
    ['tax', 'tax >= 0'],
    ['total', 'total >= 0'],
  ],
  sale_items: [
    ['quantity', 'quantity > 0'],
    ['unit_price', 'unit_price >= 0'],
    ['unit_cost', 'unit_cost >= 0'],
    ['line_total', 'line_total >= 0'],
  ],
  purchases: [['total_cost', 'total_cost >= 0']],
  purchase_items: [
    ['quantity', 'quantity > 0'],
    ['received_quantity', 'received_quantity >= 0 AND received_quantity <= quantity'],
    ['unit_cost', 'unit_cost >= 0'],
    ['line_total', 'line_total >= 0'],
  ],
  stock_movements: [['balance_after', 'balance_after >= 0']],
  coupons: [
    ['discount_percent', 'discount_percent >= 0 AND discount_percent <= 100'],
    ['valid_to', 'valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from'],
    ['usage_limit', 'usage_limit IS NULL OR usage_limit >= 0'],
    ['used_count', 'used_count >= 0'],
  ],
  cart_items: [['quantity', 'quantity > 0']],
  orders: [
    // discount >= 0 and discount <= subtotal also keep the subtotal from going negative.
    ['discount', 'discount >= 0 AND discount <= subtotal'],
    ['tax', 'tax >= 0'],
    ['total', 'total >= 0'],
  ],
  order_items: [
    ['quantity', 'quantity > 0'],
    ['unit_price', 'unit_price >= 0'],
    ['discount_percent', 'discount_percent >= 0 AND discount_percent <= 100'],
    ['line_total', 'line_total >= 0'],
  ],
  reviews: [['rating', 'rating >= 1 AND rating <= 5']],
};

/** References whose delete must be refused: suppliers with products or purchases, documents (never deleted) with lines. */
const FOREIGN_KEYS: { table: string; column: string; references: string; was: OnDelete; now: OnDelete }[] = [
  { table: 'products', column: 'supplier_id', references: 'suppliers', was: 'SET NULL', now: 'RESTRICT' },
  { table: 'purchases', column: 'supplier_id', references: 'suppliers', was: 'SET NULL', now: 'RESTRICT' },
  { table: 'sale_items', column: 'sale_id', references: 'sales', was: 'CASCADE', now: 'RESTRICT' },
  { table: 'purchase_items', column: 'purchase_id', references: 'purchases', was: 'CASCADE', now: 'RESTRICT' },
  { table: 'order_items', column: 'order_id', references: 'orders', was: 'CASCADE', now: 'RESTRICT' },
];

const checkName = (table: string, column: string) => `ck_${table}__${column}`;
const checkClause = (table: string, column: string, condition: string) => `CONSTRAINT \`${checkName(table, column)}\` CHECK (${condition})`;

const select = <T extends object>(sequelize: Sequelize, sql: string, replacements: Record<string, unknown> = {}) =>
  sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });

// ---------------------------------------------------------------- SQLite

function sqliteEdits(direction: 'up' | 'down'): Map<string, (createSql: string) => string> {
  const tables = new Set([...Object.keys(CHECKS), ...FOREIGN_KEYS.map((fk) => fk.table)]);
  const edits = new Map<string, (createSql: string) => string>();
  for (const table of tables) {
    const checks = (CHECKS[table] ?? []).map(([column, condition]) => `, ${checkClause(table, column, condition)}`).join('');
    const references = FOREIGN_KEYS.filter((fk) => fk.table === table);
    edits.set(table, (createSql) => {
      let sql = createSql;
      for (const fk of references) sql = withOnDelete(sql, fk.column, direction === 'up' ? fk.now : fk.was);
      if (direction === 'up') return sql.replace(/\)\s*$/, `${checks})`);
      if (checks && !sql.includes(checks)) throw new Error(`The checks of ${table} are not where 0003 put them`);
      return sql.replace(checks, '');
    });
  }
  return edits;
}

// ---------------------------------------------------------------- MySQL / MariaDB

async function datetimeColumns(sequelize: Sequelize, table: string) {
  return select<{ name: string; nullable: string; precision: number }>(
    sequelize,
    `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, DATETIME_PRECISION AS \`precision\`
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND DATA_TYPE = 'datetime'
      ORDER BY ORDINAL_POSITION`,
    { table },
  );
}

async function checkNames(sequelize: Sequelize, table: string): Promise<Set<string>> {
  const rows = await select<{ name: string }>(
    sequelize,
    `SELECT CONSTRAINT_NAME AS name FROM information_schema.TABLE_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = :table AND CONSTRAINT_TYPE = 'CHECK'`,
    { table },
  );
  return new Set(rows.map((r) => r.name));
}

/** Replaces the foreign key on (table, column) with one that has the given ON DELETE action. */
async function setMysqlOnDelete(sequelize: Sequelize, fk: (typeof FOREIGN_KEYS)[number], action: OnDelete): Promise<void> {
  const existing = await select<{ name: string }>(
    sequelize,
    `SELECT CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND COLUMN_NAME = :column AND REFERENCED_TABLE_NAME = :references`,
    fk,
  );
  for (const { name } of existing) await sequelize.query(`ALTER TABLE \`${fk.table}\` DROP FOREIGN KEY \`${name}\``);
  await sequelize.query(
    `ALTER TABLE \`${fk.table}\` ADD CONSTRAINT \`fk_${fk.table}__${fk.column}\` FOREIGN KEY (\`${fk.column}\`)
       REFERENCES \`${fk.references}\` (\`id\`) ON DELETE ${action} ON UPDATE CASCADE`,
  );
}

async function mysqlUp(sequelize: Sequelize): Promise<void> {
  for (const table of TABLES) {
    const clauses = (await datetimeColumns(sequelize, table))
      .filter((c) => Number(c.precision) !== 3)
      .map((c) => `MODIFY \`${c.name}\` DATETIME(3) ${c.nullable === 'YES' ? 'NULL' : 'NOT NULL'}`);
    const present = await checkNames(sequelize, table);
    for (const [column, condition] of CHECKS[table] ?? []) {
      if (!present.has(checkName(table, column))) clauses.push(`ADD ${checkClause(table, column, condition)}`);
    }
    if (clauses.length) await sequelize.query(`ALTER TABLE \`${table}\` ${clauses.join(', ')}`);
  }
  for (const fk of FOREIGN_KEYS) await setMysqlOnDelete(sequelize, fk, fk.now);
}

async function mysqlDown(sequelize: Sequelize): Promise<void> {
  for (const fk of FOREIGN_KEYS) await setMysqlOnDelete(sequelize, fk, fk.was);
  for (const table of TABLES) {
    const present = await checkNames(sequelize, table);
    const clauses = (CHECKS[table] ?? [])
      .map(([column]) => checkName(table, column))
      .filter((name) => present.has(name))
      .map((name) => `DROP CONSTRAINT \`${name}\``);
    for (const c of await datetimeColumns(sequelize, table)) {
      if (Number(c.precision) !== 0) clauses.push(`MODIFY \`${c.name}\` DATETIME ${c.nullable === 'YES' ? 'NULL' : 'NOT NULL'}`);
    }
    if (clauses.length) await sequelize.query(`ALTER TABLE \`${table}\` ${clauses.join(', ')}`);
  }
}

export const migration: Migration = {
  name: '0003-invariants-and-ms-timestamps',
  async up({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    if (sequelize.getDialect() === 'sqlite') await rebuildSqliteTables(sequelize, sqliteEdits('up'));
    else await mysqlUp(sequelize);
  },
  async down({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    if (sequelize.getDialect() === 'sqlite') await rebuildSqliteTables(sequelize, sqliteEdits('down'));
    else await mysqlDown(sequelize);
  },
};
