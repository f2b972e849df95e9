import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { default as defaultFormatter, number as numberFormatter, object as objectFormatter, string as stringFormatter } from '@json2csv/formatters';

/**
 * Spreadsheet apps run a cell starting with = + - @ (or a tab/CR) as a formula:
 * prefix such text with a quote. Plain numbers ("-12.50") stay numbers.
 */
function neutraliseFormula(value: string): string {
  return RISKY_FIRST.has(value.charCodeAt(0)) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/** = + - @ tab CR */
const RISKY_FIRST = new Set([61, 43, 45, 64, 9, 13]);

export type CsvRow = Record<string, unknown>;

const quoted = stringFormatter();
/** Text quoted (quotes doubled) after formula neutralising; objects and dates go through it too (as JSON, dates as ISO text). */
const textCell = (value: string) => quoted(neutraliseFormula(value));
const formatters: Record<string, (value: never) => string> = {
  string: textCell,
  number: numberFormatter(),
  bigint: defaultFormatter,
  boolean: defaultFormatter,
  undefined: defaultFormatter,
  object: objectFormatter({ stringFormatter: textCell }),
  symbol: defaultFormatter,
  function: defaultFormatter,
};

/** A cell as RFC 4180 text, formatted by json2csv's own formatters: text quoted, numbers and booleans bare, nothing empty. */
function csvCell(value: unknown): string {
  return formatters[typeof value](value as never);
}

/** Text is handed on in chunks of about this size, not a write per row. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The one CSV writer of every export (REST and panel): a header row, then one
 * CRLF-terminated line per row (the last one too, as line counters expect),
 * every cell through csvCell; a row whose cells are all empty is left out.
 * The rows (an object stream, or any iterable) are pulled as the output drains
 * (backpressure), so memory stays flat however long the export is. Resolves
 * when everything is written; rejects (destroying `out`) when the rows or the
 * output fail.
 */
export async function writeCsv(rows: Readable | AsyncIterable<CsvRow> | Iterable<CsvRow>, fields: readonly string[], out: Writable): Promise<void> {
  const names = [...fields];
  let text = `${names.map((name) => csvCell(name)).join(',')}\r\n`;
  const csv = new Transform({
    writableObjectMode: true,
    transform(row: CsvRow, _encoding, done) {
      let line = '';
      let empty = true;
      for (let i = 0; i < names.length; i++) {
        const cell = csvCell(row[names[i]]);
        if (cell) empty = false;
        line += i ? `,${cell}` : cell;
      }
      if (!empty) text += `${line}\r\n`;
      if (text.length >= CHUNK_CHARS) {
        this.push(text);
        text = '';
      }
      done();
    },
    flush(done) {
      if (text) this.push(text);
      done();
    },
  });
  await pipeline(rows instanceof Readable ? rows : Readable.from(rows), csv, out);
}
