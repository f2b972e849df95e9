import type { Writable } from 'node:stream';
import { writeCsv } from '../../shared/csv.js';
import { reportReads } from '../../db/index.js';
import { Op, type WhereOptions } from 'sequelize';
import { dateRange } from '../../shared/date-range.js';
import { getSettings } from '../settings/settings.service.js';
import type { Page } from '../../shared/page.js';
import { User } from '../users/user.model.js';
import { AuditLog } from './audit-log.model.js';
import type { AuditFilters, AuditListQuery } from './audit.schemas.js';

const USER = { model: User, as: 'user', attributes: ['id', 'name', 'email'] };

async function whereFrom(filters: AuditFilters): Promise<WhereOptions<AuditLog>> {
  const where: Record<string | symbol, unknown> = {};
  if (filters.userId) where.userId = filters.userId;
  if (filters.action) where.action = filters.action;
  if (filters.entityType) where.entityType = filters.entityType;
  if (filters.entityId) where.entityId = filters.entityId;
  const created = dateRange(filters.from, filters.to, (await getSettings()).timezone);
  if (created) where.createdAt = created;
  return where as WhereOptions<AuditLog>;
}

/** Audit trail, newest first, each entry with who did it. */
export async function listAuditLogs(query: AuditListQuery): Promise<Page<AuditLog>> {
  const { rows, count } = await AuditLog.findAndCountAll({
    where: await whereFrom(query),
    include: [USER],
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

const BATCH = 500;

/** Keyset pages (id descending): constant memory and no OFFSET scans, however long the trail. */
async function* auditRows(filters: AuditFilters) {
  let beforeId: number | undefined;
  const filtered = await whereFrom(filters);
  for (;;) {
    const where = { ...filtered } as Record<string | symbol, unknown>;
    if (beforeId !== undefined) where.id = { [Op.lt]: beforeId };
    const batch = await AuditLog.findAll({ where: where as WhereOptions<AuditLog>, include: [USER], order: [['id', 'DESC']], limit: BATCH });
    for (const log of batch) {
      const user = (log as AuditLog & { user?: User | null }).user;
      yield {
        id: log.id,
        createdAt: log.createdAt.toISOString(),
        userId: log.userId,
        userEmail: user?.email ?? '',
        action: log.action,
        entityType: log.entityType ?? '',
        entityId: log.entityId ?? '',
        changes: log.changes ? JSON.stringify(log.changes) : '',
        ip: log.ip ?? '',
      };
    }
    if (batch.length < BATCH) return;
    beforeId = batch[batch.length - 1].id;
  }
}


/** Streams the filtered audit trail as CSV into `output` (an HTTP response, a file). A report read (reportReads). */
export function streamAuditLogsCsv(filters: AuditFilters, output: Writable): Promise<void> {
  return reportReads(() => writeCsv(auditRows(filters), ['id', 'createdAt', 'userId', 'userEmail', 'action', 'entityType', 'entityId', 'changes', 'ip'], output));
}
