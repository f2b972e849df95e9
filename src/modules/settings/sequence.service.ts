import { QueryTypes, type Sequelize } from 'sequelize';
import type { ResultSetHeader } from 'mysql2';
import { afterCommit, db, isSqlite, sqlReplacements, transaction } from '../../db/index.js';
import { Sequence } from './setting.model.js';

/** Counter rows known to exist, per database (tests open several). */
const ensured = new WeakMap<Sequelize, Set<string>>();

/**
 * Makes sure a counter row exists, in its own short insert-ignore before the
 * business transaction: creating it inside racing transactions deadlocks on
 * MariaDB (shared locks on the duplicate key upgraded to exclusive ones).
 * Inside a caller's transaction (seeders) the insert joins it, and the row
 * counts as known once that transaction commits.
 */
export async function ensureSequence(name: string, period: string): Promise<void> {
  const known = ensured.get(db()) ?? new Set<string>();
  ensured.set(db(), known);
  const key = `${name}:${period}`;
  if (known.has(key)) return;
  const verb = isSqlite() ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  await transaction(async () => {
    await db().query(`${verb} INTO sequences (name, period, value, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`, {
      replacements: sqlReplacements([name, period, new Date(), new Date()]),
    });
    afterCommit(() => known.add(key));
  });
}

/** Forgets that a counter row exists (it was removed): the next ensureSequence() makes it again. */
export function forgetSequence(name: string, period: string): void {
  ensured.get(db())?.delete(`${name}:${period}`);
}

/** Moves a counter to `value` (bulk imports that numbered their own documents), inside the caller's transaction. */
export async function setSequenceValue(name: string, period: string, value: number): Promise<void> {
  await ensureSequence(name, period);
  await Sequence.update({ value }, { where: { name, period } });
}

/**
 * The counter's next value inside the caller's transaction, in one statement
 * (`count` values at once: the last one is returned, the ones before it are
 * the caller's too). The guarded increment locks the row until commit, so concurrent callers
 * queue instead of reading the same value, and a rolled-back caller gives its
 * number back. Call it as late as possible in the transaction to keep that
 * lock short. MySQL/MariaDB hand the new value back through LAST_INSERT_ID
 * (also readable by the next statement on the connection), SQLite through
 * RETURNING.
 */
export async function nextSequenceValue(name: string, period: string, count = 1): Promise<number> {
  const replacements = sqlReplacements({ name, period, count: Math.trunc(count), at: new Date() });
  if (isSqlite()) {
    const [row] = await db().query<{ value: number }>('UPDATE sequences SET value = value + :count, updated_at = :at WHERE name = :name AND period = :period RETURNING value', {
      type: QueryTypes.SELECT,
      replacements,
    });
    if (row) return Number(row.value);
  } else {
    const [header] = (await db().query('UPDATE sequences SET value = LAST_INSERT_ID(value + :count), updated_at = :at WHERE name = :name AND period = :period', { replacements })) as unknown as [ResultSetHeader, unknown];
    if (header.affectedRows === 1) return Number(header.insertId);
  }
  await Sequence.create({ name, period, value: Math.trunc(count) });
  return Math.trunc(count);
}
