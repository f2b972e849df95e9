/**
 * Money is computed in integer cents and leaves the app as a number with at
 * most two decimals. Databases disagree on DECIMAL (SQLite: number, MySQL:
 * string); `toMoney` is the one place that normalises them.
 */
export type Cents = number;

export function toCents(value: string | number | null | undefined): Cents {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`Not a money value: ${String(value)}`);
  return Math.round(n * 100);
}

export function fromCents(cents: Cents): number {
  return Math.round(cents) / 100;
}

/** Normalises a DECIMAL read from either database (or an aggregate) to a 2-decimal number. */
export function toMoney(value: string | number | null | undefined): number {
  return fromCents(toCents(value));
}

/** `percent` of an amount in cents, rounded half away from zero to a cent. */
export function percentOf(cents: Cents, percent: number | string): Cents {
  const basisPoints = Math.round(Number(percent) * 100);
  const raw = (cents * basisPoints) / 10_000;
  return Math.sign(raw) * Math.round(Math.abs(raw));
}

export function sumCents(values: Cents[]): Cents {
  return values.reduce((a, b) => a + b, 0);
}
