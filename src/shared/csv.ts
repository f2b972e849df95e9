import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform as CsvTransform } from '@json2csv/node';

/**
 * Spreadsheet apps run a cell starting with = + - @ (or a tab/CR) as a formula:
 * prefix such text with a quote. Plain numbers ("-12.50") stay numbers.
 */
export function neutraliseFormula<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/** One cell as text a spreadsheet shows and never runs: dates as ISO, objects as JSON, formulas neutralised. */
export function csvValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return neutraliseFormula(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

export type CsvRow = Record<string, unknown>;

/**
 * The one CSV writer of every export (REST and panel): a header row, then one
 * CRLF-terminated line per row, every cell through csvValue. The rows are pulled as the output
 * drains (backpressure), so memory stays flat however long the export is.
 * Resolves when everything is written; rejects (destroying `out`) when the
 * rows or the output fail.
 */
export async function writeCsv(rows: AsyncIterable<CsvRow> | Iterable<CsvRow>, fields: readonly string[], out: Writable): Promise<void> {
  const csv = new CsvTransform<CsvRow, CsvRow>(
    { fields: [...fields], eol: '\r\n', transforms: [(row) => Object.fromEntries(fields.map((field) => [field, csvValue(row[field])]))] },
    {},
    { objectMode: true },
  );
  // Every record ends with a line break, the last one too (RFC 4180 allows it; line counters expect it).
  await pipeline(Readable.from(rows), csv, async function* (text: AsyncIterable<string | Buffer>) {
    yield* text;
    yield '\r\n';
  }, out);
}
