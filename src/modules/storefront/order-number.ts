import { literal, type Transaction } from 'sequelize';
import { db, isSqlite, transaction } from '../../db/index.js';
import { Sequence } from '../settings/setting.model.js';

const NAME = 'order';

function periodOf(at: Date): string {
  return String(at.getUTCFullYear());
}

/**
 * Makes sure the year's counter row exists, in its own short transaction
 * before the order's: creating it inside racing order transactions could
 * deadlock on MariaDB (two shared locks upgraded to exclusive ones).
 */
export async function ensureOrderSequence(at: Date, t?: Transaction): Promise<void> {
  const period = periodOf(at);
  if (await Sequence.count({ where: { name: NAME, period }, transaction: t })) return;
  const verb = isSqlite() ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  const insert = (tx: Transaction) =>
    db().query(`${verb} INTO sequences (name, period, value, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`, {
      replacements: [NAME, period, new Date(), new Date()],
      transaction: tx,
    });
  await (t ? insert(t) : transaction(insert));
}

/**
 * Next readable order number, e.g. ORD-2026-000123. Called last in the order's
 * transaction: the counter row stays locked only briefly, and a rolled-back
 * order gives its number back (no gaps).
 */
export async function nextOrderNumber(at: Date, t: Transaction): Promise<string> {
  const period = periodOf(at);
  const where = { name: NAME, period };
  const [updated] = await Sequence.update({ value: literal('value + 1') as unknown as number }, { where, transaction: t });
  if (updated !== 1) await Sequence.create({ ...where, value: 1 }, { transaction: t });
  const row = await Sequence.findOne({ where, transaction: t });
  return `ORD-${period}-${String(row!.value).padStart(6, '0')}`;
}
