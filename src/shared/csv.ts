/** Spreadsheet apps run a cell starting with = + - @ (or a tab/CR) as a formula: prefix such text with a quote. */
export function neutraliseFormula<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
