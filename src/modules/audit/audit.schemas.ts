import { z } from '../../shared/zod.js';
import { listOf, pageQuery } from '../../shared/schemas.js';
import { dateRangeQuery } from '../../shared/date-range.js';

export const auditFilters = z.object({
  userId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().min(1).max(60).optional(),
  entityType: z.string().trim().min(1).max(40).optional(),
  entityId: z.string().trim().min(1).max(40).optional(),
  ...dateRangeQuery,
});
export type AuditFilters = z.infer<typeof auditFilters>;

export const auditListQuery = auditFilters.extend(pageQuery);
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditExportQuery = auditFilters.extend({ format: z.enum(['csv']).default('csv') });

export const AuditLogSchema = z
  .object({
    id: z.number(),
    userId: z.number().nullable(),
    action: z.string().describe('e.g. product.update, stock.adjust, auth.login_failed'),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()).nullable().describe('Changed fields as { field: { from, to } }; secrets redacted'),
    ip: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    user: z.object({ id: z.number(), name: z.string(), email: z.string() }).nullable(),
  })
  .openapi('AuditLog');

export const auditList = listOf(AuditLogSchema);
