import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { Supplier } from '../../modules/suppliers/supplier.model.js';
import { canDeleteCatalog, canReadCatalog, canWriteCatalog } from '../access.js';
import { serviceResource } from '../service-resource.js';
import { createSupplier, deleteSupplier, updateSupplier } from '../../modules/suppliers/supplier.service.js';
import { createSupplierBody, updateSupplierBody } from '../../modules/suppliers/supplier.schemas.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

export function supplierResource(features: FeatureType[] = []): ResourceWithOptions {
  return {
    resource: serviceResource(Supplier, {
      create: (input, actor) => createSupplier(createSupplierBody.parse(input), actor),
      update: (id, input, actor) => updateSupplier(id, updateSupplierBody.parse(input), actor),
      delete: (id, actor) => deleteSupplier(id, actor),
    }),
    options: {
      navigation: NAVIGATION.catalog,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'contactName', 'email', 'phone', 'leadTimeDays'],
      editProperties: ['name', 'contactName', 'email', 'phone', 'address', 'leadTimeDays', 'notes'],
      properties: { notes: { type: 'textarea' }, address: { type: 'textarea' } },
      actions: builtInActions({ read: canReadCatalog, create: canWriteCatalog, update: canWriteCatalog, remove: canDeleteCatalog }),
    },
    features,
  };
}
