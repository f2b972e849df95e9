import { BaseError, ForeignKeyConstraintError } from 'sequelize';
import { AppError } from '../shared/errors.js';

/**
 * The database's own rules (CHECK, NOT NULL, foreign keys) in the API's words.
 * The services refuse bad input first; these are the last line, met only when
 * something slipped past them (a race, a new door). Whoever meets one (the
 * HTTP error handler, the panel's notices) says which field broke which kind
 * of rule, never SQL text and never 500.
 *
 * CHECK constraints are named `ck_<table>__<column>` so the field can be named.
 */
const CHECK_NAME = /\bck_([a-z0-9_]+?)__([a-z0-9_]+)/;

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function driverError(err: BaseError): { code?: string; errno?: number; message: string } {
  const parent = (err as { parent?: { code?: string; errno?: number; message?: string } }).parent;
  return { code: parent?.code, errno: parent?.errno, message: parent?.message ?? err.message };
}

/** The column a broken CHECK constraint guards (SQLite, MariaDB and MySQL 8 name the constraint). */
function brokenCheck(code: string | undefined, errno: number | undefined, message: string): string | undefined {
  const isCheck =
    (code?.startsWith('SQLITE_CONSTRAINT') && message.includes('CHECK constraint failed')) ||
    errno === 4025 || // MariaDB ER_CONSTRAINT_FAILED
    errno === 3819; // MySQL ER_CHECK_CONSTRAINT_VIOLATED
  if (!isCheck) return undefined;
  return message.match(CHECK_NAME)?.[2] ?? '';
}

/** The column a NOT NULL refused (SQLite `NOT NULL constraint failed: t.c`, MySQL `Column 'c' cannot be null`). */
function missingValue(code: string | undefined, errno: number | undefined, message: string): string | undefined {
  if (code?.startsWith('SQLITE_CONSTRAINT')) return message.match(/NOT NULL constraint failed: \w+\.(\w+)/)?.[1];
  if (errno === 1048) return message.match(/Column '(\w+)' cannot be null/)?.[1] ?? '';
  return undefined;
}

function foreignKeyError(err: ForeignKeyConstraintError): AppError {
  const fields: unknown = err.fields;
  const column = Array.isArray(fields) ? fields[0] : fields && typeof fields === 'object' ? Object.keys(fields)[0] : undefined;
  const field = column ? camel(String(column)) : undefined;
  const details = field ? [{ path: field, message: err.reltype === 'child' ? 'refers to a missing record' : 'is still referenced' }] : undefined;
  const message =
    err.reltype === 'parent'
      ? 'The record is still referenced by other records; remove or reassign them first'
      : err.reltype === 'child'
        ? `${field ?? 'A reference'} refers to a record that does not exist`
        : 'The record is referenced by other records or refers to a missing one';
  return new AppError('CONFLICT', message, 409, details);
}

/** A database rule violation as an AppError (400 naming the field, or 409 for references), or undefined. */
export function ruleError(err: unknown): AppError | undefined {
  if (err instanceof ForeignKeyConstraintError) return foreignKeyError(err);
  if (!(err instanceof BaseError)) return undefined;
  const { code, errno, message } = driverError(err);
  const checked = brokenCheck(code, errno, message);
  if (checked !== undefined) {
    const field = checked ? camel(checked) : undefined;
    return new AppError(
      'VALIDATION_FAILED',
      field ? `${field} is outside the allowed range` : 'A value is outside the allowed range',
      400,
      field ? [{ path: field, message: 'is outside the allowed range' }] : undefined,
    );
  }
  const missing = missingValue(code, errno, message);
  if (missing !== undefined) {
    const field = missing ? camel(missing) : undefined;
    return new AppError('VALIDATION_FAILED', field ? `${field} is required` : 'A required value is missing', 400, field ? [{ path: field, message: 'is required' }] : undefined);
  }
  return undefined;
}
