import type { ActionHandler, ActionResponse, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { cancelSale, createSale } from '../../../src/modules/sales/sale.service.js';
import { createSaleBody } from '../../../src/modules/sales/sale.schemas.js';
import { badRequest } from '../../../src/shared/errors.js';
import { errorMessage, failed } from '../../../src/admin/notice.js';
import { locationChoices } from '../../../src/admin/locations.js';

/** The Record sale form posts its lines as one JSON field (`sale`); the REST schema validates it. */
function saleInput(payload: Record<string, unknown>) {
  try {
    return createSaleBody.parse(JSON.parse(String(payload.sale ?? '')));
  } catch (err) {
    if (err instanceof SyntaxError) throw badRequest('The sale form was empty or malformed');
    throw err;
  }
}

/** Record sale: GET gives the form its locations (default preselected), POST records the sale where it was sold from. */
export const recordSaleHandler: ActionHandler<ActionResponse> = async (request, _response, context) => {
  if (request.method !== 'post') return { locations: await locationChoices() };
  try {
    const sale = await createSale(saleInput(request.payload ?? {}), panelActor(context.currentAdmin, request));
    return {
      redirectUrl: context.h.recordActionUrl({ resourceId: context.resource.id(), recordId: String(sale.id), actionName: 'show' }),
      notice: { message: `Sale ${sale.invoiceNumber} recorded: ${sale.items.length} line(s), total ${sale.total.toFixed(2)}`, type: 'success' },
    };
  } catch (err) {
    return { notice: { message: errorMessage(err), type: 'error' } };
  }
};

export const cancelSaleHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  const { record, currentAdmin, h, resource } = context;
  try {
    const sale = await cancelSale(Number(record!.id()), panelActor(currentAdmin, request));
    const fresh = await resource.findOne(record!.id());
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
      notice: { message: `Sale ${sale.invoiceNumber} cancelled; its stock is back on the shelf`, type: 'success' },
    };
  } catch (err) {
    return failed(context, err);
  }
};
