export interface ErrorDetail {
  path: string;
  message: string;
}

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INSUFFICIENT_STOCK'
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'AI_UNAVAILABLE'
  | 'DB_UNAVAILABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL';

/** The one error type the API speaks; the error middleware turns it into the API.md shape. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new AppError('BAD_REQUEST', message, 400, details);
export const validationFailed = (message: string, details?: ErrorDetail[]) =>
  new AppError('VALIDATION_FAILED', message, 400, details);
export const unauthenticated = (message = 'Authentication required') =>
  new AppError('UNAUTHENTICATED', message, 401);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message, 403);
export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`, 404);
export const conflict = (message: string) => new AppError('CONFLICT', message, 409);
export const duplicate = (message: string, details?: ErrorDetail[]) =>
  new AppError('DUPLICATE', message, 409, details);
export const insufficientStock = (message: string, details?: ErrorDetail[]) =>
  new AppError('INSUFFICIENT_STOCK', message, 409, details);
