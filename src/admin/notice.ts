import type { ActionContext, RecordActionResponse } from 'adminjs';
import { ZodError } from 'zod';
import { ruleError } from '../db/rule-errors.js';
import { AppError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';

/** A panel message for a failed action: the service's own words for business errors, nothing internal otherwise. */
export function errorMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  if (err instanceof ZodError) return err.issues.map((i) => `${i.path.join('.') || 'input'} ${i.message}`).join('; ');
  const rule = ruleError(err);
  if (rule) return rule.message;
  logger().error({ err: (err as Error).message }, 'admin action failed');
  return 'The action failed; nothing was changed.';
}

/** The record as the panel shows it, plus an error notice: AdminJS stays on the same page. */
export function failed(context: ActionContext, err: unknown): RecordActionResponse {
  return {
    record: context.record!.toJSON(context.currentAdmin),
    notice: { message: errorMessage(err), type: 'error' },
  };
}
