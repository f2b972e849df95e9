import { ensureSequence, nextSequenceValue, setSequenceValue } from '../settings/sequence.service.js';

const NAME = 'invoice';

/** Creates the year's invoice counter ahead of the sale's transaction. */
export function ensureInvoiceSequence(period: string): Promise<void> {
  return ensureSequence(NAME, period);
}

/** Next invoice number, e.g. INV-2026-000042: sequential per year, no gaps; called last in the sale's transaction. */
export async function nextInvoiceNumber(prefix: string, period: string): Promise<string> {
  return formatInvoiceNumber(prefix, period, await nextSequenceValue(NAME, period));
}

export function formatInvoiceNumber(prefix: string, period: string, number: number): string {
  return `${prefix}-${period}-${String(number).padStart(6, '0')}`;
}

/** Moves the year's counter to `value` (bulk imports that numbered their own invoices). */
export function setInvoiceSequence(period: string, value: number): Promise<void> {
  return setSequenceValue(NAME, period, value);
}
