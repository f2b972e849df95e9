import type { ActionContext, ActionHandler, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { updateOrderStatus } from '../../../src/modules/storefront/order.service.js';
import type { OrderStatus } from '../../../src/modules/storefront/storefront.models.js';
import { failed } from '../../../src/admin/notice.js';

const DONE: Record<OrderStatus, string> = {
  pending: 'is pending',
  shipped: 'was shipped',
  delivered: 'was delivered',
  cancelled: 'was cancelled; its stock is back on the shelf',
};

/**
 * One handler per target status: the service checks the transition (409 on an
 * illegal move, shown as an error notice) and, on cancel, restores the stock.
 */
export function orderStatusHandler(to: Exclude<OrderStatus, 'pending'>): ActionHandler<RecordActionResponse> {
  return async (request, _response, context: ActionContext) => {
    const { record, currentAdmin, h, resource } = context;
    try {
      const order = await updateOrderStatus(Number(record!.id()), to, panelActor(currentAdmin, request));
      const fresh = await resource.findOne(record!.id());
      return {
        record: (fresh ?? record!).toJSON(currentAdmin),
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
        notice: { message: `Order ${order.orderNumber ?? `#${order.id}`} ${DONE[to]}`, type: 'success' },
      };
    } catch (err) {
      return failed(context, err);
    }
  };
}
