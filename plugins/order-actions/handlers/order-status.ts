import type { ActionContext, ActionHandler, CurrentAdmin, RecordActionResponse } from 'adminjs';
import { actorId, requestIp } from '../../../src/admin/access.js';
import { badRequest } from '../../../src/shared/errors.js';
import type { Role } from '../../../src/shared/rights.js';
import { updateOrderStatus, type OrderActor } from '../../../src/modules/storefront/order.service.js';
import type { OrderStatus } from '../../../src/modules/storefront/storefront.models.js';
import { failed } from '../../stock-actions/handlers/notice.js';

/** The signed-in back-office user as the orders service's actor (audit rows, ledger entries). */
function orderActor(currentAdmin: CurrentAdmin | undefined, ip: string | null): OrderActor {
  const id = actorId(currentAdmin);
  if (!id) throw badRequest('Sign in again to change orders');
  return { id, role: currentAdmin!.role as Role, email: currentAdmin!.email, name: String(currentAdmin!.name ?? currentAdmin!.email), ip };
}

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
      const actor = orderActor(currentAdmin, requestIp(request));
      const order = await updateOrderStatus(actor, Number(record!.id()), to);
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
