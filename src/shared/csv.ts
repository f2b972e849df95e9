/**
 * Spreadsheet apps run a cell starting with = + - @ (or a tab/CR) as a formula:
 * prefix such text with a quote. Plain numbers ("-12.50") stay numbers.
 */
export function neutraliseFormula<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}
