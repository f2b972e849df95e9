import { literal, type Sequelize, type Transaction } from 'sequelize';
import { db, isSqlite, transaction } from '../../db/index.js';
import { Sequence } from '../settings/setting.model.js';

const NAME = 'invoice';
/** Periods known to have their counter row, per database (tests open several). */
const ensured = new WeakMap<Sequelize, Set<string>>();

/**
 * Makes sure the year's counter row exists, in its own short transaction
 * before the sale's: an insert-ignore inside racing sale transactions could
 * deadlock on MariaDB (shared locks on the duplicate key upgraded to exclusive).
 */
export async function ensureInvoiceSequence(period: string, t?: Transaction): Promise<void> {
  const known = ensured.get(db()) ?? new Set<string>();
  ensured.set(db(), known);
  if (known.has(period)) return;
  if (await Sequence.count({ where: { name: NAME, period }, transaction: t })) {
    known.add(period);
    return;
  }
  const verb = isSqlite() ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  const insert = (tx: Transaction) =>
    db().query(`${verb} INTO sequences (name, period, value, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`, {
      replacements: [NAME, period, new Date(), new Date()],
      transaction: tx,
    });
  await (t ? insert(t) : transaction(insert));
}

/**
 * Next invoice number, e.g. INV-2026-000042. Called as the last step of the
 * sale's transaction: the counter row (which serialises concurrent sales on
 * MariaDB) stays locked only until the commit, and a rolled-back sale gives
 * its number back, so numbers have no gaps.
 */
export async function nextInvoiceNumber(prefix: string, period: string, t: Transaction): Promise<string> {
  const where = { name: NAME, period };
  const [updated] = await Sequence.update({ value: literal('value + 1') as unknown as number }, { where, transaction: t });
  if (updated !== 1) await Sequence.create({ ...where, value: 1 }, { transaction: t });
  const row = await Sequence.findOne({ where, attributes: ['value'], transaction: t });
  return `${prefix}-${period}-${String(row!.value).padStart(6, '0')}`;
}
