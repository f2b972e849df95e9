import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { StockMovement } from '../../modules/inventory/stock-movement.model.js';
import { canReadCatalog } from '../access.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** The ledger is append-only: rows come from the inventory service, never from a form. */
export function stockMovementResource(features: FeatureType[] = []): ResourceWithOptions {
  return {
    resource: StockMovement,
    options: {
      navigation: NAVIGATION.stock,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'createdAt', 'productId', 'delta', 'balanceAfter', 'reason', 'adjustmentReason', 'referenceType', 'referenceId', 'userId'],
      filterProperties: ['productId', 'reason', 'adjustmentReason', 'referenceType', 'userId', 'createdAt'],
      actions: builtInActions({ read: canReadCatalog }),
    },
    features,
  };
}
