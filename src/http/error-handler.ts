import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { BaseError, ConnectionError, UniqueConstraintError, ValidationError as SequelizeValidationError } from 'sequelize';
import { ZodError } from 'zod';
import { ruleError } from '../db/rule-errors.js';
import { databaseUnavailable, lockFailureOf } from '../db/index.js';
import { AppError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const details = err.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
    return new AppError('VALIDATION_FAILED', `Invalid input: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, 400, details);
  }
  // Before the unique check: Sequelize reports SQLite's CHECK and NOT NULL failures as unique violations.
  const rule = ruleError(err);
  if (rule) return rule;
  if (err instanceof UniqueConstraintError) {
    const fields = Object.keys(err.fields ?? {});
    return new AppError(
      'DUPLICATE',
      fields.length ? `${fields.join(', ')} already exists` : 'Duplicate value',
      409,
      fields.map((f) => ({ path: f, message: 'already exists' })),
    );
  }
  if (err instanceof SequelizeValidationError) {
    const details = err.errors.map((e) => ({ path: e.path ?? '(root)', message: e.message }));
    return new AppError('VALIDATION_FAILED', 'Invalid input', 400, details);
  }
  if (err instanceof ConnectionError || databaseUnavailable(err)) return new AppError('DB_UNAVAILABLE', 'The database is unavailable', 503);
  if (lockFailureOf(err) === 'deadlock') return new AppError('CONFLICT', 'The change collided with another one at the same moment; please try again', 409);
  // A path segment that is no valid percent-encoding (`/api/products/%E0%A4%A`).
  if (err instanceof URIError) return new AppError('BAD_REQUEST', 'Malformed URL encoding', 400);
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new AppError('PAYLOAD_TOO_LARGE', 'File is too large', 413);
    return new AppError('BAD_REQUEST', `Upload rejected: ${err.message}`, 400);
  }
  const httpError = err as { type?: string; status?: number; statusCode?: number; expose?: boolean };
  if (httpError?.type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'Malformed JSON body', 400);
  if (httpError?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large', 413);
  if (httpError?.type === 'encoding.unsupported' || httpError?.type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding', 415);
  }
  const status = httpError?.status ?? httpError?.statusCode;
  if (status === 404) return new AppError('NOT_FOUND', 'Not found', 404);
  if (httpError?.expose && status && status >= 400 && status < 500) return new AppError('BAD_REQUEST', 'Bad request', status);
  return undefined;
}

/** The one error middleware: API.md's shape, never a stack trace or SQL text. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  // An error is never a download, whatever an export had announced before it failed.
  res.removeHeader('Content-Disposition');
  const known = toAppError(err);
  if (known) {
    if (known.status >= 500) logger().warn({ err: known.message, reqId: req.id }, 'dependency unavailable');
    res.status(known.status).json(known.toJSON());
    return;
  }
  logger().error({ err: err instanceof BaseError ? { name: err.name, message: err.message } : err, reqId: req.id }, 'unhandled error');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong' } });
};

export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.originalUrl.split('?')[0]}` } });
};
