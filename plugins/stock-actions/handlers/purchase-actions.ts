import type { ActionHandler, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { cancelPurchase, getPurchase, receivePurchase } from '../../../src/modules/purchases/purchase.service.js';
import { receivePurchaseBody } from '../../../src/modules/purchases/purchase.schemas.js';
import { PurchaseItem } from '../../../src/modules/purchases/purchase.model.js';
import { Product } from '../../../src/modules/products/product.model.js';
import { badRequest } from '../../../src/shared/errors.js';
import { failed } from '../../../src/admin/notice.js';
import { locationChoices, locationField } from '../../../src/admin/locations.js';

async function outstanding(purchaseId: number) {
  const items = await PurchaseItem.findAll({ where: { purchaseId }, include: [{ model: Product, as: 'product', attributes: ['name', 'sku'] }], order: [['id', 'ASC']] });
  return items.map((i) => {
    const product = (i as PurchaseItem & { product?: Product }).product;
    return { productId: i.productId, name: product?.name ?? `#${i.productId}`, sku: product?.sku ?? '', ordered: i.quantity, received: i.receivedQuantity, open: i.quantity - i.receivedQuantity };
  });
}

/** Receive: GET lists what is still outstanding and where it can arrive; POST receives the posted quantities (partial is fine) there. */
export const receivePurchaseHandler: ActionHandler<RecordActionResponse & { outstanding?: unknown; locations?: unknown }> = async (request, _response, context) => {
  const { record, currentAdmin, h, resource } = context;
  const id = Number(record!.id());
  if (request.method !== 'post') return { record: record!.toJSON(currentAdmin), outstanding: await outstanding(id), locations: await locationChoices() };
  try {
    let items: unknown;
    try {
      items = JSON.parse(String(request.payload?.items ?? ''));
    } catch {
      throw badRequest('The receive form was empty or malformed');
    }
    const input = receivePurchaseBody.parse({ items, locationId: locationField(request.payload?.locationId) });
    const purchase = await receivePurchase(id, input, panelActor(currentAdmin, request));
    const fresh = await resource.findOne(record!.id());
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
      notice: { message: `Received ${input.items?.reduce((n, i) => n + i.quantity, 0) ?? 0} unit(s); purchase is now ${purchase.status.replace('_', ' ')}`, type: 'success' },
    };
  } catch (err) {
    return failed(context, err);
  }
};

export const cancelPurchaseHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  const { record, currentAdmin, h, resource } = context;
  try {
    await cancelPurchase(Number(record!.id()), panelActor(currentAdmin, request));
    const fresh = await resource.findOne(record!.id());
    const purchase = await getPurchase(Number(record!.id()));
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
      notice: { message: `Purchase ${purchase.reference ?? `#${purchase.id}`} cancelled`, type: 'success' },
    };
  } catch (err) {
    return failed(context, err);
  }
};
