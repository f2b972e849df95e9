import type { Transaction } from 'sequelize';
import { ensureSequence, nextSequenceValue } from '../settings/sequence.service.js';

const NAME = 'order';

const periodOf = (at: Date) => String(at.getUTCFullYear());

/** Creates the year's order counter ahead of the order's transaction. */
export function ensureOrderSequence(at: Date, t?: Transaction): Promise<void> {
  return ensureSequence(NAME, periodOf(at), t);
}

/** Next readable order number, e.g. ORD-2026-000123; called last in the order's transaction. */
export async function nextOrderNumber(at: Date, t: Transaction): Promise<string> {
  return `ORD-${periodOf(at)}-${String(await nextSequenceValue(NAME, periodOf(at), t)).padStart(6, '0')}`;
}
