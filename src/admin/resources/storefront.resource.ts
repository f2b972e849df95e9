import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { Coupon, Order, OrderItem, Review } from '../../modules/storefront/storefront.models.js';
import { canManageCoupons, canManageOrders, canModerateReviews, canReadCatalog } from '../access.js';
import { serviceResource } from '../service-resource.js';
import { createCoupon, deleteCoupon, updateCoupon } from '../../modules/storefront/coupon.service.js';
import { createCouponBody, updateCouponBody } from '../../modules/storefront/coupon.schemas.js';
import { deleteReview } from '../../modules/storefront/review.service.js';
import { builtInActions, NAVIGATION, readOnly } from './resource-helpers.js';

/**
 * Orders change stock through the orders service, so they are read-only here
 * apart from the Ship/Deliver/Cancel actions; coupons are plain records for
 * coupon managers; reviews can only be deleted (moderation), never edited.
 */
export function storefrontResources(orderFeatures: FeatureType[] = []): ResourceWithOptions[] {
  return [
    {
      resource: Order,
      options: {
        navigation: NAVIGATION.storefront,
        titleProperty: 'orderNumber',
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'orderNumber', 'userId', 'status', 'total', 'createdAt'],
        properties: { userId: { reference: 'customers' } },
        actions: builtInActions({ read: canManageOrders }),
      },
      features: orderFeatures,
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
      resource: serviceResource(Coupon, {
        create: (input, actor) => createCoupon(createCouponBody.parse(input), actor),
        update: (id, input, actor) => updateCoupon(id, updateCouponBody.parse(input), actor),
        delete: (id, actor) => deleteCoupon(id, actor),
      }),
      options: {
        navigation: NAVIGATION.storefront,
        titleProperty: 'code',
        listProperties: ['code', 'discountPercent', 'targetRole', 'validFrom', 'validTo', 'usedCount', 'usageLimit', 'active'],
        properties: { usedCount: readOnly },
        actions: builtInActions({ read: canReadCatalog, create: canManageCoupons, update: canManageCoupons, remove: canManageCoupons }),
      },
    },
    {
      resource: serviceResource(Review, { delete: (id, actor) => deleteReview(id, actor) }),
      options: {
        navigation: NAVIGATION.storefront,
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: ['id', 'productId', 'userId', 'rating', 'comment', 'createdAt'],
        actions: builtInActions({ read: canReadCatalog, remove: canModerateReviews }),
      },
    },
  ];
}
