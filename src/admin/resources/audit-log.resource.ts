import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { AuditLog } from '../../modules/audit/audit-log.model.js';
import { canReadAudit } from '../access.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

export function auditLogResource(features: FeatureType[] = []): ResourceWithOptions {
  return {
    resource: AuditLog,
    options: {
      navigation: NAVIGATION.administration,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'createdAt', 'userId', 'action', 'entityType', 'entityId', 'ip'],
      filterProperties: ['action', 'entityType', 'entityId', 'userId', 'ip', 'createdAt'],
      properties: { changes: { type: 'textarea' } },
      actions: builtInActions({ read: canReadAudit }),
    },
    features,
  };
}
