import type { ActionContext, ActionHandler, ActionRequest, ActionResponse, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { errorMessage, failed } from '../../../src/admin/notice.js';
import { locationChoices } from '../../../src/admin/locations.js';
import { backToShow, jsonField } from '../../../src/admin/action-responses.js';
import { cancelTransfer, createTransfer, getTransfer, receiveTransfer, shipTransfer, type TransferDto } from '../../../src/modules/transfers/transfer.service.js';
import { createTransferBody, receiveTransferBody } from '../../../src/modules/transfers/transfer.schemas.js';

const TRANSFERS = 'transfers';

const units = (transfer: TransferDto, field: 'quantity' | 'shipped') => transfer.lines.reduce((n, l) => n + l[field], 0);
const route = (transfer: TransferDto) => `${transfer.fromLocation.code} → ${transfer.toLocation.code}`;

/**
 * New transfer, from the Transfers list, a product's page (that product on the
 * first line) or a location's page (from there). GET gives the form its
 * locations and what to prefill; POST drafts the transfer through the
 * transfers service and opens it.
 */
export const newTransferHandler: ActionHandler<ActionResponse> = async (request: ActionRequest, _response, context: ActionContext) => {
  const { record, currentAdmin, h, resource } = context;
  const onRecord = record ? { record: record.toJSON(currentAdmin) } : {};
  if (request.method !== 'post') {
    const prefill = resource.id() === 'products' ? { productId: Number(record?.id()) } : resource.id() === 'locations' ? { fromLocationId: Number(record?.id()) } : {};
    return { ...onRecord, locations: await locationChoices(), prefill };
  }
  try {
    const input = createTransferBody.parse(jsonField(request.payload, 'transfer', 'transfer'));
    const transfer = await createTransfer(input, panelActor(currentAdmin, request));
    return {
      ...onRecord,
      redirectUrl: h.recordActionUrl({ resourceId: TRANSFERS, recordId: String(transfer.id), actionName: 'show' }),
      notice: { message: `Transfer #${transfer.id} drafted: ${units(transfer, 'quantity')} unit(s) ${route(transfer)}; ship it when the goods leave`, type: 'success' },
    };
  } catch (err) {
    return record ? failed(context, err) : { notice: { message: errorMessage(err), type: 'error' } };
  }
};

export const shipTransferHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  try {
    const transfer = await shipTransfer(Number(context.record!.id()), panelActor(context.currentAdmin, request));
    return await backToShow(context, `Transfer #${transfer.id} shipped: ${units(transfer, 'shipped')} unit(s) left ${transfer.fromLocation.code} and are in transit`);
  } catch (err) {
    return failed(context, err);
  }
};

/** Receive: GET lists each line's outstanding quantity; POST receives the posted quantities (partial is fine). */
export const receiveTransferHandler: ActionHandler<RecordActionResponse & { transfer?: TransferDto }> = async (request, _response, context) => {
  const { record, currentAdmin } = context;
  const id = Number(record!.id());
  if (request.method !== 'post') return { record: record!.toJSON(currentAdmin), transfer: await getTransfer(id) };
  try {
    const input = receiveTransferBody.parse({ items: jsonField(request.payload, 'items', 'receive') });
    const transfer = await receiveTransfer(id, input, panelActor(currentAdmin, request));
    const arrived = input.items?.reduce((n, i) => n + i.quantity, 0) ?? 0;
    return await backToShow(context, `Received ${arrived} unit(s) at ${transfer.toLocation.code}; transfer is now ${transfer.status.replace('_', ' ')}`);
  } catch (err) {
    return failed(context, err);
  }
};

export const cancelTransferHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  try {
    const before = await getTransfer(Number(context.record!.id()));
    const transfer = await cancelTransfer(before.id, panelActor(context.currentAdmin, request));
    const back = before.inTransit;
    return await backToShow(context, `Transfer #${transfer.id} cancelled${back ? `; ${back} unit(s) in transit went back to ${transfer.fromLocation.code}` : ''}`);
  } catch (err) {
    return failed(context, err);
  }
};
