import { ApiRouter } from '../../http/route.js';
import { auditExportQuery, auditList, auditListQuery } from './audit.schemas.js';
import { listAuditLogs, streamAuditLogsCsv } from './audit-log.service.js';
import { now as clockNow } from '../../shared/clock.js';

export const auditRoutes = new ApiRouter('/audit-logs', 'Audit logs')
  .get(
    '/',
    {
      operationId: 'listAuditLogs',
      summary: 'Audit trail, newest first (filters: userId, action, entityType, entityId, from, to)',
      access: 'audit:read',
      query: auditListQuery,
      response: auditList,
    },
    ({ query }) => listAuditLogs(query),
  )
  .get(
    '/export',
    {
      operationId: 'exportAuditLogsCsv',
      summary: 'The filtered audit trail as CSV (streamed)',
      access: 'audit:read',
      query: auditExportQuery,
      response: { contentType: 'text/csv', description: 'CSV with a header row, newest first' },
    },
    async ({ query, res }) => {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-logs-${clockNow().toISOString().slice(0, 10)}.csv"`);
      await streamAuditLogsCsv(query, res);
    },
  );
