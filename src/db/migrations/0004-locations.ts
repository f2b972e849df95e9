import { DataTypes, QueryTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

/**
 * Stock lives in places: locations (one default, MAIN), stock levels per
 * (product, location), a location on every ledger row, transfers and stock
 * counts. Existing stock and ledger rows move to MAIN, set-based (no row by
 * row work), so it stays quick on a large ledger.
 */

type Columns = Record<string, ModelAttributeColumnOptions>;

const id = (): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false });
const int = (allowNull = false, defaultValue?: number): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull, ...(defaultValue === undefined ? {} : { defaultValue }) });
const date = (allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.DATE(3), allowNull });
const str = (length: number, allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(length), allowNull });
const ref = (table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL', allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  // Ids never change; and MariaDB refuses a CHECK on a column with a cascading action.
  onUpdate: 'RESTRICT',
});
const stamps = (): Columns => ({ created_at: date(false), updated_at: date(false) });

interface TableSpec {
  name: string;
  columns: Columns;
  /** Data rules as SQL conditions per column, named `ck_<table>__<column>` (errors name the field). */
  checks?: Record<string, string>;
  indexes?: { fields: string[]; unique?: boolean }[];
}

const TABLES: TableSpec[] = [
  {
    name: 'locations',
    columns: {
      id: id(),
      code: { ...str(20, false), unique: true },
      name: { ...str(120, false), unique: true },
      type: { type: DataTypes.ENUM('warehouse', 'store', 'other'), allowNull: false, defaultValue: 'store' },
      address: str(500),
      is_default: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      archived_at: date(),
      ...stamps(),
    },
  },
  {
    name: 'stock_levels',
    columns: { id: id(), product_id: ref('products', 'RESTRICT'), location_id: ref('locations', 'RESTRICT'), quantity: int(false, 0), ...stamps() },
    checks: { quantity: 'quantity >= 0' },
    indexes: [{ fields: ['product_id', 'location_id'], unique: true }, { fields: ['location_id', 'product_id'] }],
  },
  {
    name: 'transfers',
    columns: {
      id: id(),
      from_location_id: ref('locations', 'RESTRICT'),
      to_location_id: ref('locations', 'RESTRICT'),
      status: { type: DataTypes.ENUM('draft', 'in_transit', 'partially_received', 'received', 'cancelled'), allowNull: false, defaultValue: 'draft' },
      reference: str(80),
      notes: { type: DataTypes.TEXT, allowNull: true },
      user_id: ref('users', 'SET NULL', true),
      shipped_at: date(),
      received_at: date(),
      cancelled_at: date(),
      ...stamps(),
    },
    checks: { to_location_id: 'from_location_id <> to_location_id' },
    indexes: [{ fields: ['status', 'created_at'] }, { fields: ['from_location_id'] }, { fields: ['to_location_id'] }, { fields: ['created_at'] }],
  },
  {
    name: 'transfer_lines',
    columns: { id: id(), transfer_id: ref('transfers', 'CASCADE'), product_id: ref('products', 'RESTRICT'), quantity: int(), shipped: int(false, 0), received: int(false, 0), ...stamps() },
    checks: { quantity: 'quantity > 0', shipped: 'shipped >= 0 AND shipped <= quantity', received: 'received >= 0 AND received <= shipped' },
    indexes: [{ fields: ['transfer_id', 'product_id'], unique: true }, { fields: ['product_id'] }],
  },
  {
    name: 'stock_counts',
    columns: {
      id: id(),
      location_id: ref('locations', 'RESTRICT'),
      status: { type: DataTypes.ENUM('counting', 'review', 'posted', 'cancelled'), allowNull: false, defaultValue: 'counting' },
      blind: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      category: str(80),
      notes: { type: DataTypes.TEXT, allowNull: true },
      user_id: ref('users', 'SET NULL', true),
      submitted_at: date(),
      posted_at: date(),
      cancelled_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['location_id', 'status'] }, { fields: ['status', 'created_at'] }],
  },
  {
    name: 'stock_count_lines',
    columns: {
      id: id(),
      stock_count_id: ref('stock_counts', 'CASCADE'),
      product_id: ref('products', 'RESTRICT'),
      expected: int(),
      unit_cost: { type: DataTypes.DECIMAL(12, 2), allowNull: false, defaultValue: 0 },
      counted: int(true),
      movements_since: int(true),
      variance: int(true),
      counted_at: date(),
      counted_by: ref('users', 'SET NULL', true),
      ...stamps(),
    },
    checks: { expected: 'expected >= 0', counted: 'counted IS NULL OR counted >= 0' },
    indexes: [{ fields: ['stock_count_id', 'product_id'], unique: true }, { fields: ['product_id'] }],
  },
];

const isSqlite = (qi: QueryInterface) => qi.sequelize.getDialect() === 'sqlite';
const select = <T extends object>(qi: QueryInterface, sql: string, replacements: Record<string, unknown> = {}) => qi.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
const run = (qi: QueryInterface, sql: string, replacements: Record<string, unknown> = {}) => qi.sequelize.query(sql, { replacements });
const checkClause = (table: string, column: string, condition: string) => `CONSTRAINT \`ck_${table}__${column}\` CHECK (${condition})`;

/**
 * A new, empty table with its data rules. SQLite takes CHECKs only in CREATE
 * TABLE: the table Sequelize created is made again with them (it is empty
 * and nothing refers to it yet).
 */
async function createTable(qi: QueryInterface, spec: TableSpec): Promise<void> {
  await qi.createTable(spec.name, spec.columns);
  const checks = Object.entries(spec.checks ?? {}).map(([name, condition]) => checkClause(spec.name, name, condition));
  if (checks.length && isSqlite(qi)) {
    const [{ sql }] = await select<{ sql: string }>(qi, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name`, { name: spec.name });
    await run(qi, `DROP TABLE \`${spec.name}\``);
    await run(qi, sql.replace(/\)\s*$/, `, ${checks.join(', ')})`));
  } else {
    for (const check of checks) await run(qi, `ALTER TABLE \`${spec.name}\` ADD ${check}`);
  }
  for (const index of spec.indexes ?? []) {
    await qi.addIndex(spec.name, index.fields, { unique: index.unique ?? false, name: `${spec.name}_${index.fields.join('_')}${index.unique ? '_unique' : ''}` });
  }
}

/**
 * Every ledger row, sale and purchase gets its location: MAIN for the history.
 * MariaDB adds the column with MAIN as its default (instant) and then drops
 * the default; the foreign key is added with checks off on that connection
 * (every value is MAIN, which exists), so the table is not copied. SQLite
 * cannot add a NOT NULL column with a foreign key: the column is added
 * nullable, filled, and triggers refuse a NULL from then on.
 */
const LOCATED: { table: string; index: string[] }[] = [
  { table: 'stock_movements', index: ['location_id', 'product_id', 'id'] },
  { table: 'sales', index: ['location_id', 'created_at'] },
  { table: 'purchases', index: ['location_id'] },
];
const indexName = (table: string, fields: string[]) => `${table}_${fields.join('_')}`;

async function addLocationColumn(qi: QueryInterface, table: string, index: string[], mainId: number): Promise<void> {
  if (isSqlite(qi)) {
    await run(qi, `ALTER TABLE ${table} ADD COLUMN location_id INTEGER REFERENCES locations (id) ON DELETE RESTRICT ON UPDATE RESTRICT`);
    await run(qi, `UPDATE ${table} SET location_id = :mainId`, { mainId });
    for (const event of ['INSERT', 'UPDATE']) {
      await run(
        qi,
        `CREATE TRIGGER ${table}_location_required_${event.toLowerCase()} BEFORE ${event} ON ${table} WHEN NEW.location_id IS NULL
         BEGIN SELECT RAISE(ABORT, '${table}.location_id is required'); END`,
      );
    }
  } else {
    await run(qi, `ALTER TABLE ${table} ADD COLUMN location_id INT NOT NULL DEFAULT ${Number(mainId)}`);
    await run(qi, `ALTER TABLE ${table} ALTER COLUMN location_id DROP DEFAULT`);
    await qi.sequelize.transaction(async (t) => {
      await qi.sequelize.query('SET SESSION foreign_key_checks = 0', { transaction: t });
      try {
        await qi.sequelize.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_location_id_fk FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT ON UPDATE RESTRICT`, {
          transaction: t,
        });
      } finally {
        await qi.sequelize.query('SET SESSION foreign_key_checks = 1', { transaction: t });
      }
    });
  }
  await qi.addIndex(table, index, { name: indexName(table, index) });
}

async function removeLocationColumn(qi: QueryInterface, table: string, index: string[]): Promise<void> {
  if (isSqlite(qi)) {
    for (const event of ['insert', 'update']) await run(qi, `DROP TRIGGER IF EXISTS ${table}_location_required_${event}`);
  } else {
    await run(qi, `ALTER TABLE ${table} DROP FOREIGN KEY ${table}_location_id_fk`);
  }
  await qi.removeIndex(table, indexName(table, index));
  await run(qi, `ALTER TABLE ${table} DROP COLUMN location_id`);
}

/** The ledger's reasons before and after: MariaDB keeps them in an ENUM (SQLite in text). Appending values is instant. */
const REASONS = ['initial', 'sale', 'sale_cancel', 'purchase', 'adjustment', 'order', 'order_cancel', 'return'];
const NEW_REASONS = ['transfer_out', 'transfer_in', 'transfer_cancel', 'count'];
const reasonEnum = (values: string[]) => `ENUM(${values.map((v) => `'${v}'`).join(', ')}) NOT NULL`;

export const migration: Migration = {
  name: '0004-locations',
  async up({ context: qi }) {
    for (const spec of TABLES.slice(0, 2)) await createTable(qi, spec);
    const at = new Date();
    await qi.bulkInsert('locations', [{ code: 'MAIN', name: 'Main location', type: 'store', is_default: true, created_at: at, updated_at: at }]);
    const [{ id: mainId }] = await select<{ id: number }>(qi, `SELECT id FROM locations WHERE code = 'MAIN'`);
    // Every product with stock or history has its level at MAIN: its whole stock (the ledger's sum).
    await run(
      qi,
      `INSERT INTO stock_levels (product_id, location_id, quantity, created_at, updated_at)
       SELECT p.id, :mainId, p.stock, :at, :at FROM products p
        WHERE p.stock <> 0 OR EXISTS (SELECT 1 FROM stock_movements m WHERE m.product_id = p.id)`,
      { mainId, at },
    );
    for (const { table, index } of LOCATED) await addLocationColumn(qi, table, index, Number(mainId));
    if (!isSqlite(qi)) await run(qi, `ALTER TABLE stock_movements MODIFY reason ${reasonEnum([...REASONS, ...NEW_REASONS])}`);
    for (const spec of TABLES.slice(2)) await createTable(qi, spec);
  },
  async down({ context: qi }) {
    for (const spec of [...TABLES].reverse().slice(0, 4)) await qi.dropTable(spec.name);
    // Transfers and counts become plain adjustments: the ledger keeps adding up to products.stock.
    await run(qi, `UPDATE stock_movements SET reason = 'adjustment' WHERE reason IN (${NEW_REASONS.map((r) => `'${r}'`).join(', ')})`);
    if (!isSqlite(qi)) await run(qi, `ALTER TABLE stock_movements MODIFY reason ${reasonEnum(REASONS)}`);
    for (const { table, index } of LOCATED) await removeLocationColumn(qi, table, index);
    await qi.dropTable('stock_levels');
    await qi.dropTable('locations');
  },
};
