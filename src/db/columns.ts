import { DataTypes, type ModelAttributeColumnOptions, type Model } from 'sequelize';
import { toMoney } from '../shared/money.js';

/** DECIMAL(12,2) read back as a 2-decimal number on every database (the one normalisation point). */
export function money(attribute: string, options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return {
    type: DataTypes.DECIMAL(12, 2),
    allowNull: false,
    defaultValue: 0,
    ...options,
    get(this: Model) {
      const raw = this.getDataValue(attribute) as string | number | null;
      return raw === null || raw === undefined ? raw : toMoney(raw);
    },
  };
}

/** DECIMAL(5,2) percentage, normalised the same way. */
export function percent(attribute: string, options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return {
    type: DataTypes.DECIMAL(5, 2),
    allowNull: false,
    defaultValue: 0,
    ...options,
    get(this: Model) {
      const raw = this.getDataValue(attribute) as string | number | null;
      return raw === null || raw === undefined ? raw : toMoney(raw);
    },
  };
}

/** A jsonText column's stored text as its value (text that is not JSON as itself). */
export function parseJsonText(raw: string | null | undefined): unknown {
  if (raw === null || raw === undefined) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** JSON kept as TEXT so both databases store and return the same thing. */
export function jsonText(attribute: string, options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return {
    type: DataTypes.TEXT,
    allowNull: true,
    ...options,
    get(this: Model) {
      return parseJsonText(this.getDataValue(attribute) as string | null);
    },
    set(this: Model, value: unknown) {
      this.setDataValue(attribute, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
}

/**
 * A timestamp column: DATETIME(3) on MySQL/MariaDB, so milliseconds are kept
 * as on SQLite, and both databases order and filter the same. Every DATE
 * attribute of every model is one of these (new tables included).
 */
export function timestamp(options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return { type: DataTypes.DATE(3), allowNull: true, ...options };
}

/** A model's createdAt and updatedAt as millisecond timestamps. */
export function timestamps(): { createdAt: ModelAttributeColumnOptions; updatedAt: ModelAttributeColumnOptions } {
  return { createdAt: timestamp({ allowNull: false }), updatedAt: timestamp({ allowNull: false }) };
}

/** A DATETIME from a raw query: SQLite returns Sequelize's text ("2026-01-05 10:00:00.000 +00:00"), MySQL a Date. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value).trim().replace(' ', 'T').replace(/\s*([+-]\d{2}:\d{2})$/, '$1');
  const date = new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
