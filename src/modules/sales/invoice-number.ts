import type { Transaction } from 'sequelize';
import { ensureSequence, nextSequenceValue } from '../settings/sequence.service.js';

const NAME = 'invoice';

/** Creates the year's invoice counter ahead of the sale's transaction. */
export function ensureInvoiceSequence(period: string, t?: Transaction): Promise<void> {
  return ensureSequence(NAME, period, t);
}

/** Next invoice number, e.g. INV-2026-000042: sequential per year, no gaps; called last in the sale's transaction. */
export async function nextInvoiceNumber(prefix: string, period: string, t: Transaction): Promise<string> {
  return `${prefix}-${period}-${String(await nextSequenceValue(NAME, period, t)).padStart(6, '0')}`;
}
