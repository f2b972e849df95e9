import type { ResourceWithOptions } from 'adminjs';
import { Supplier } from '../../modules/suppliers/supplier.model.js';
import { csvExportFeature } from '../../../plugins/exports/index.js';
import { canDeleteCatalog, canReadCatalog, canWriteCatalog } from '../access.js';
import { auditedActions, NAVIGATION } from './resource-helpers.js';

export function supplierResource(): ResourceWithOptions {
  return {
    resource: Supplier,
    options: {
      navigation: NAVIGATION.catalog,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'contactName', 'email', 'phone', 'leadTimeDays'],
      properties: { notes: { type: 'textarea' }, address: { type: 'textarea' } },
      actions: auditedActions('supplier', { read: canReadCatalog, create: canWriteCatalog, update: canWriteCatalog, remove: canDeleteCatalog }),
    },
    features: [csvExportFeature()],
  };
}
