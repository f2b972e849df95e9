import type { ResourceWithOptions } from 'adminjs';
import { StockAlert } from '../../modules/inventory/stock-alert.model.js';
import { canReadCatalog } from '../access.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** Alerts are raised and resolved by the inventory service as stock moves. */
export function stockAlertResource(): ResourceWithOptions {
  return {
    resource: StockAlert,
    options: {
      navigation: NAVIGATION.stock,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'productId', 'status', 'stockAtAlert', 'threshold', 'sentAt', 'createdAt'],
      actions: builtInActions({ read: canReadCatalog }),
    },
  };
}
