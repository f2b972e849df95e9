import type { ActionHandler, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { adjustStock } from '../../../src/modules/products/product.service.js';
import { adjustStockInput } from './adjust-stock.js';
import { failed } from '../../../src/admin/notice.js';
import { locationChoices } from '../../../src/admin/locations.js';
import { productStock } from '../../../src/modules/locations/location.service.js';

/** Adjust stock: GET gives the form its locations (and the stock at each), POST adapts the fields and calls the products service. */
export const adjustStockHandler: ActionHandler<RecordActionResponse & { locations?: unknown; levels?: unknown }> = async (request, _response, context) => {
  const { record, currentAdmin, h, resource } = context;
  if (request.method !== 'post') {
    const [locations, stock] = await Promise.all([locationChoices(), productStock(Number(record!.id()))]);
    return { record: record!.toJSON(currentAdmin), locations, levels: stock.locations };
  }
  try {
    const input = adjustStockInput(request.payload ?? {});
    const product = await adjustStock(Number(record!.id()), input, panelActor(currentAdmin, request));
    const fresh = await resource.findOne(record!.id());
    const sign = input.delta > 0 ? '+' : '';
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
      notice: { message: `Stock adjusted by ${sign}${input.delta}: ${product.name} now has ${product.stock}`, type: 'success' },
    };
  } catch (err) {
    return failed(context, err);
  }
};
