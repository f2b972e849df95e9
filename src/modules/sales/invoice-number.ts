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
 * The statements that draw the next invoice number (e.g. INV-2026-000042:
 * sequential per year, no gaps) and write it on the sale, for the end of the
 * sale's pipeline (see pipelined): the guarded increment locks the counter
 * row until the commit, so concurrent sales queue instead of reading the same
 * value and a rolled-back sale gives its number back; the sale's update
 * formats the value it just took, and a read hands the number back (the
 * sale's id may be the pipeline's, insertedId; the read is a SELECT, so it
 * goes after every guarded write). The counter row exists
 * (ensureInvoiceSequence); `numberOf` reads the results.
 */
export function invoiceNumberStatements(saleId: RowId, prefix: string, period: string) {
  const replacements = { name: NAME, period, prefix };
  const sale = rowIdSql(saleId);
  // MySQL/MariaDB hand the new value to the next statement through LAST_INSERT_ID(expr).
  const taken = isSqlite() ? '(SELECT value FROM sequences WHERE name = :name AND period = :period)' : 'LAST_INSERT_ID()';
  const formatted = isSqlite()
    ? `:prefix || '-' || :period || '-' || printf('%06d', ${taken})`
    : `CONCAT(:prefix, '-', :period, '-', LPAD(${taken}, GREATEST(6, CHAR_LENGTH(${taken})), '0'))`;
  const statements: PipelinedStatement[] = [
    { sql: `UPDATE sequences SET value = ${isSqlite() ? 'value + 1' : 'LAST_INSERT_ID(value + 1)'} WHERE name = :name AND period = :period AND ${afterPrevious()}`, replacements, type: QueryTypes.UPDATE },
    { sql: `UPDATE sales SET invoice_number = ${formatted} WHERE id = ${sale} AND ${afterPrevious()}`, replacements, type: QueryTypes.UPDATE },
    { sql: `SELECT invoice_number AS invoiceNumber FROM sales WHERE id = ${sale}`, type: QueryTypes.SELECT },
  ];
  /** The number drawn, from these statements' results (in order); 503 (try again) when the counter row went missing. */
  const numberOf = ([counter, sale, read]: unknown[]): string => {
    const drawn = affectedRows(counter) === 1 && affectedRows(sale) === 1 ? (read as { invoiceNumber: string | null }[])[0]?.invoiceNumber : undefined;
    if (drawn) return drawn;
    // Made again by the next attempt's ensureInvoiceSequence; this one rolls back.
    forgetSequence(NAME, period);
    throw new AppError('DB_UNAVAILABLE', 'The invoice counter was being set up; please try again', 503);
  };
  return { statements, numberOf };
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
