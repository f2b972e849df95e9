import { ensureSequence, nextSequenceValue } from '../settings/sequence.service.js';

const NAME = 'order';

const periodOf = (at: Date) => String(at.getUTCFullYear());

/** Creates the year's order counter ahead of the order's transaction. */
export function ensureOrderSequence(at: Date): Promise<void> {
  return ensureSequence(NAME, periodOf(at));
}

/** Next readable order number, e.g. ORD-2026-000123; called last in the order's transaction. */
export async function nextOrderNumber(at: Date): Promise<string> {
  return `ORD-${periodOf(at)}-${String(await nextSequenceValue(NAME, periodOf(at))).padStart(6, '0')}`;
}
