import { QueryTypes } from 'sequelize';
import { valuesSql, type PipelinedStatement, type RowId } from '../../db/index.js';
import { now } from '../../shared/clock.js';
import { AuditLog } from './audit-log.model.js';

export interface AuditEntry {
  userId?: number | null;
  action: string;
  entityType?: string | null;
  entityId?: string | number | null;
  changes?: Record<string, unknown> | null;
  ip?: string | null;
}

/** Field names whose values never reach the audit log. */
const SECRET_FIELDS = /password|token|secret|apikey|api_key|hash/i;

export function redactSecrets(changes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [key, SECRET_FIELDS.test(key) ? '[redacted]' : value]),
  );
}

/** `{ field: { from, to } }` for the fields that actually changed. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const from = normalise(before[key]);
    const to = normalise(after[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[key] = SECRET_FIELDS.test(key) ? { from: '[redacted]', to: '[redacted]' } : { from, to };
    }
  }
  return changes;
}

function normalise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value ?? null;
}

/** The row recordAudit writes for an entry (bulk writers insert many at once). */
export function auditRow(entry: AuditEntry) {
  const at = now();
  return {
    createdAt: at,
    updatedAt: at,
    userId: entry.userId ?? null,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    changes: entry.changes ? redactSecrets(entry.changes) : null,
    ip: entry.ip ?? null,
  };
}

/** Writes one audit row, inside the current transaction when there is one. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  await AuditLog.create(auditRow(entry), { silent: true });
}

/** The INSERT of audit rows for a pipeline (see pipelined); an `entityId` may be the id an INSERT before it created (insertedId). */
export function auditStatement(...entries: (Omit<AuditEntry, 'entityId'> & { entityId: RowId })[]): PipelinedStatement {
  const rows = entries.map((entry) => {
    const row = auditRow({ ...entry, entityId: null });
    return [row.userId, row.action, row.entityType, entry.entityId, row.changes === null ? null : JSON.stringify(row.changes), row.ip, row.createdAt, row.updatedAt];
  });
  return { sql: `INSERT INTO audit_logs (user_id, action, entity_type, entity_id, changes, ip, created_at, updated_at) VALUES ${valuesSql(rows)}`, type: QueryTypes.INSERT };
}
