import type { ResourceWithOptions } from 'adminjs';
import { Supplier } from '../../modules/suppliers/supplier.model.js';
import { csvExportFeature } from '../../../plugins/exports/index.js';
import { canDeleteCatalog, canReadCatalog, canWriteCatalog } from '../access.js';
import { auditedResource } from '../audited-resource.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

export function supplierResource(): ResourceWithOptions {
  return {
    resource: auditedResource(Supplier, 'supplier'),
    options: {
      navigation: NAVIGATION.catalog,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'contactName', 'email', 'phone', 'leadTimeDays'],
      editProperties: ['name', 'contactName', 'email', 'phone', 'address', 'leadTimeDays', 'notes'],
      properties: { notes: { type: 'textarea' }, address: { type: 'textarea' } },
      actions: builtInActions({ read: canReadCatalog, create: canWriteCatalog, update: canWriteCatalog, remove: canDeleteCatalog }),
    },
    features: [csvExportFeature()],
  };
}
