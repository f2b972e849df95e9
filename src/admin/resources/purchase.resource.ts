import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { Purchase, PurchaseItem } from '../../modules/purchases/purchase.model.js';
import { canReadCatalog } from '../access.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** Purchases change stock only when received, through the purchases service. */
export function purchaseResources(features: FeatureType[] = []): ResourceWithOptions[] {
  return [
    {
      resource: Purchase,
      options: {
        navigation: NAVIGATION.purchasing,
        titleProperty: 'reference',
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'reference', 'supplierId', 'status', 'totalCost', 'expectedAt', 'receivedAt', 'createdAt'],
        filterProperties: ['reference', 'supplierId', 'status', 'createdAt', 'receivedAt'],
        properties: { notes: { type: 'textarea' } },
        actions: builtInActions({ read: canReadCatalog }),
      },
      features,
    },
    {
      resource: PurchaseItem,
      options: {
        navigation: NAVIGATION.purchasing,
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'purchaseId', 'productId', 'quantity', 'receivedQuantity', 'unitCost', 'lineTotal'],
        actions: builtInActions({ read: canReadCatalog }),
      },
    },
  ];
}
