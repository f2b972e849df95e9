import { QueryTypes, type Sequelize } from 'sequelize';

export type OnDelete = 'CASCADE' | 'SET NULL' | 'RESTRICT';

const select = <T extends object>(sequelize: Sequelize, sql: string, replacements: Record<string, unknown> = {}) =>
  sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });

/**
 * SQLite cannot alter a table's constraints: each table is rebuilt from its
 * own CREATE TABLE text, edited (new table, copy, drop, rename, indexes and triggers back,
 * AUTOINCREMENT counter kept), all in one transaction with foreign keys off
 * (on the connection migrations use) and checked before the commit.
 */
export async function rebuildSqliteTables(sequelize: Sequelize, edits: Map<string, (createSql: string) => string>): Promise<void> {
  await sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await sequelize.query('BEGIN IMMEDIATE');
    try {
      for (const [table, edit] of edits) await rebuildSqliteTable(sequelize, table, edit);
      const broken = await select(sequelize, 'PRAGMA foreign_key_check');
      if (broken.length) throw new Error(`Rebuilt tables break foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
      await sequelize.query('COMMIT');
    } catch (err) {
      await sequelize.query('ROLLBACK');
      throw err;
    }
  } finally {
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
}

async function rebuildSqliteTable(sequelize: Sequelize, table: string, edit: (createSql: string) => string): Promise<void> {
  const [definition] = await select<{ sql: string }>(sequelize, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table`, { table });
  if (!definition) throw new Error(`No table ${table}`);
  const indexes = await select<{ sql: string }>(sequelize, `SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = :table AND sql IS NOT NULL ORDER BY type`, { table });
  const [counter] = await select<{ seq: number }>(sequelize, `SELECT seq FROM sqlite_sequence WHERE name = :table`, { table });
  const columns = (await select<{ name: string }>(sequelize, `PRAGMA table_info(\`${table}\`)`)).map((c) => `\`${c.name}\``).join(', ');
  const temporary = `${table}__rebuilt`;
  const head = /^CREATE TABLE\s+(?:`[^`]+`|"[^"]+"|\w+)\s*\(/;
  if (!head.test(definition.sql)) throw new Error(`Unexpected definition of ${table}: ${definition.sql}`);
  await sequelize.query(edit(definition.sql).replace(head, `CREATE TABLE \`${temporary}\` (`));
  await sequelize.query(`INSERT INTO \`${temporary}\` (${columns}) SELECT ${columns} FROM \`${table}\``);
  await sequelize.query(`DROP TABLE \`${table}\``);
  await sequelize.query(`ALTER TABLE \`${temporary}\` RENAME TO \`${table}\``);
  for (const index of indexes) await sequelize.query(index.sql);
  if (counter) {
    await sequelize.query(`DELETE FROM sqlite_sequence WHERE name = :table`, { replacements: { table } });
    await sequelize.query(`INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)`, { replacements: { table, seq: counter.seq } });
  }
}

/** Sets the ON DELETE action of a column's REFERENCES clause in a CREATE TABLE text. */
export function withOnDelete(createSql: string, column: string, action: OnDelete): string {
  const clause = new RegExp(`(\`${column}\`[^,]*? REFERENCES [^,]*? ON DELETE )(CASCADE|SET NULL|RESTRICT|NO ACTION|SET DEFAULT)`);
  if (!clause.test(createSql)) throw new Error(`No reference on ${column} in: ${createSql}`);
  return createSql.replace(clause, `$1${action}`);
}
