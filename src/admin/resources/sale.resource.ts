import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { Sale, SaleItem } from '../../modules/sales/sale.model.js';
import { canReadCatalog } from '../access.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** Sales are written by the sales service (Record sale); the panel never edits or deletes one. */
export function saleResources(features: FeatureType[] = []): ResourceWithOptions[] {
  return [
    {
      resource: Sale,
      options: {
        navigation: NAVIGATION.sales,
        titleProperty: 'invoiceNumber',
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'invoiceNumber', 'createdAt', 'customerName', 'status', 'total', 'userId'],
        filterProperties: ['invoiceNumber', 'status', 'customerName', 'customerEmail', 'userId', 'createdAt', 'total'],
        properties: { notes: { type: 'textarea' } },
        actions: builtInActions({ read: canReadCatalog }),
      },
      features,
    },
    {
      resource: SaleItem,
      options: {
        navigation: NAVIGATION.sales,
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'saleId', 'productId', 'quantity', 'unitPrice', 'lineTotal'],
        actions: builtInActions({ read: canReadCatalog }),
      },
    },
  ];
}
