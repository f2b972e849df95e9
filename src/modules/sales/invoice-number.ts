import { affectedRows, afterPrevious, isSqlite, rowIdSql, type PipelinedStatement, type RowId } from '../../db/index.js';
import { QueryTypes } from 'sequelize';
import { AppError } from '../../shared/errors.js';
import { ensureSequence, forgetSequence, nextSequenceValue, setSequenceValue } from '../settings/sequence.service.js';

const NAME = 'invoice';

/** Creates the year's invoice counter ahead of the sale's transaction. */
export function ensureInvoiceSequence(period: string): Promise<void> {
  return ensureSequence(NAME, period);
}

/**
 * The statements that draw the year's next invoice numbers for sales being
 * written in this transaction (e.g. INV-2026-000042: sequential per year, no
 * gaps), in the order given, and write them on the sales, for the end of the
 * pipeline (see pipelined): one guarded increment by their count locks the
 * counter row until the commit, so concurrent writers queue instead of
 * reading the same value and a rolled-back transaction gives its numbers
 * back; one update formats each sale's value from the one just taken; a read
 * hands them back (the sales' ids may be the pipeline's, insertedId; the read
 * is a SELECT, so it goes after every guarded write: `reads`). The counter
 * row exists (ensureInvoiceSequence); `numbersOf` reads the results.
 */
export function invoiceNumberStatements(saleIds: RowId[], prefix: string, period: string) {
  const replacements = { name: NAME, period, prefix };
  const ids = saleIds.map(rowIdSql);
  const count = ids.length;
  // MySQL/MariaDB hand the new value to the next statement through LAST_INSERT_ID(expr): the last number taken.
  const last = isSqlite() ? '(SELECT value FROM sequences WHERE name = :name AND period = :period)' : 'LAST_INSERT_ID()';
  const formatted = (i: number) => {
    const value = `(${last} - ${count - 1 - i})`;
    return isSqlite() ? `:prefix || '-' || :period || '-' || printf('%06d', ${value})` : `CONCAT(:prefix, '-', :period, '-', LPAD(${value}, GREATEST(6, CHAR_LENGTH(${value})), '0'))`;
  };
  const numbered = count === 1 ? formatted(0) : `CASE id ${ids.map((id, i) => `WHEN ${id} THEN ${formatted(i)}`).join(' ')} END`;
  const writes: PipelinedStatement[] = [
    { sql: `UPDATE sequences SET value = ${isSqlite() ? `value + ${count}` : `LAST_INSERT_ID(value + ${count})`} WHERE name = :name AND period = :period AND ${afterPrevious()}`, replacements, type: QueryTypes.UPDATE },
    { sql: `UPDATE sales SET invoice_number = ${numbered} WHERE id IN (${ids.join(', ')}) AND ${afterPrevious()}`, replacements, type: QueryTypes.UPDATE },
  ];
  const reads: PipelinedStatement[] = [{ sql: `SELECT id, invoice_number AS invoiceNumber FROM sales WHERE id IN (${ids.join(', ')})`, type: QueryTypes.SELECT }];
  /** The numbers drawn, by sale id, from these statements' results (in order); 503 (try again) when the counter row went missing. */
  const numbersOf = ([counter, sales]: unknown[], [read]: unknown[]): Map<number, string> => {
    const rows = read as { id: number | string; invoiceNumber: string | null }[];
    if (affectedRows(counter) === 1 && affectedRows(sales) === count && rows.length === count && rows.every((r) => r.invoiceNumber)) {
      return new Map(rows.map((r) => [Number(r.id), r.invoiceNumber!]));
    }
    // Made again by the next attempt's ensureInvoiceSequence; this one rolls back.
    forgetSequence(NAME, period);
    throw new AppError('DB_UNAVAILABLE', 'The invoice counter was being set up; please try again', 503);
  };
  return { writes, reads, numbersOf };
}

export function formatInvoiceNumber(prefix: string, period: string, number: number): string {
  return `${prefix}-${period}-${String(number).padStart(6, '0')}`;
}

/**
 * The next `count` invoice numbers of the year, in order, drawn at once in
 * the caller's transaction (a bulk write numbering many sales): the same
 * gap-free counter, locked until the commit.
 */
export async function drawInvoiceNumbers(prefix: string, period: string, count: number): Promise<string[]> {
  if (count < 1) return [];
  await ensureInvoiceSequence(period);
  const last = await nextSequenceValue(NAME, period, count);
  return Array.from({ length: count }, (_, i) => formatInvoiceNumber(prefix, period, last - count + 1 + i));
}

/** Moves the year's counter to `value` (bulk imports that numbered their own invoices). */
export function setInvoiceSequence(period: string, value: number): Promise<void> {
  return setSequenceValue(NAME, period, value);
}
