import type { ResourceWithOptions } from 'adminjs';
import { Coupon, Order, OrderItem, Review } from '../../modules/storefront/storefront.models.js';
import { canDeleteCatalog, canManageCoupons, canManageOrders, canReadCatalog } from '../access.js';
import { auditedActions, builtInActions, NAVIGATION, readOnly } from './resource-helpers.js';

/** Orders change stock through the orders service, so they are read-only here; coupons and reviews are plain records. */
export function storefrontResources(): ResourceWithOptions[] {
  return [
    {
      resource: Order,
      options: {
        navigation: NAVIGATION.storefront,
        titleProperty: 'orderNumber',
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'orderNumber', 'userId', 'status', 'total', 'createdAt'],
        actions: builtInActions({ read: canManageOrders }),
      },
    },
    {
      resource: OrderItem,
      options: {
        navigation: NAVIGATION.storefront,
        listProperties: ['id', 'orderId', 'productName', 'quantity', 'unitPrice', 'lineTotal'],
        actions: builtInActions({ read: canManageOrders }),
      },
    },
    {
      resource: Coupon,
      options: {
        navigation: NAVIGATION.storefront,
        titleProperty: 'code',
        listProperties: ['code', 'discountPercent', 'targetRole', 'validFrom', 'validTo', 'usedCount', 'usageLimit', 'active'],
        properties: { usedCount: readOnly },
        actions: auditedActions('coupon', { read: canReadCatalog, create: canManageCoupons, update: canManageCoupons, remove: canManageCoupons }),
      },
    },
    {
      resource: Review,
      options: {
        navigation: NAVIGATION.storefront,
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'productId', 'userId', 'rating', 'comment', 'createdAt'],
        actions: auditedActions('review', { read: canReadCatalog, remove: canDeleteCatalog }),
      },
    },
  ];
}
