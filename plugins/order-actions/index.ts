import { buildFeature, type ActionContext, type FeatureType } from 'adminjs';
import { canManageOrders } from '../../src/admin/access.js';
import { canTransition } from '../../src/modules/storefront/order-status.js';
import { ORDER_STATUSES, type OrderStatus } from '../../src/modules/storefront/storefront.models.js';
import { orderStatusHandler } from './handlers/order-status.js';

/** Shown only when the move is legal for the record's current status (the service's own transition table). */
function legalMove(to: OrderStatus) {
  return (context: ActionContext) => {
    const from = context.record?.get('status') as OrderStatus | undefined;
    return canManageOrders(context) && !!from && ORDER_STATUSES.includes(from) && canTransition(from, to);
  };
}

/**
 * Storefront orders: Ship, Deliver and Cancel call the orders service. The
 * buttons follow the status; the right alone gates the call, so a stale page
 * gets the service's own 409 as a notice rather than a generic refusal.
 */
export function orderStatusFeature(): FeatureType {
  const action = (to: Exclude<OrderStatus, 'pending'>, icon: string, extra: object = {}) => ({
    actionType: 'record' as const,
    icon,
    component: false as const,
    isAccessible: canManageOrders,
    isVisible: legalMove(to),
    handler: orderStatusHandler(to),
    ...extra,
  });
  return buildFeature({
    actions: {
      shipOrder: action('shipped', 'Truck', { guard: 'Mark this order as shipped?' }),
      deliverOrder: action('delivered', 'CheckCircle', { guard: 'Mark this order as delivered?' }),
      cancelOrder: action('cancelled', 'XCircle', { variant: 'danger', guard: 'Cancel this order and put its items back in stock?' }),
    },
  });
}
