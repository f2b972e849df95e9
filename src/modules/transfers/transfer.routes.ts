import { ApiRouter } from '../../http/route.js';
import { idParams } from '../../shared/schemas.js';
import { createTransferBody, receiveTransferBody, transferList, transferListQuery, TransferSchema } from './transfer.schemas.js';
import { cancelTransfer, createTransfer, getTransfer, listTransfers, receiveTransfer, shipTransfer } from './transfer.service.js';

export const transferRoutes = new ApiRouter('/transfers', 'Transfers')
  .get('/', { operationId: 'listTransfers', summary: 'Transfers, newest first (filters: status, fromLocationId, toLocationId, productId, from, to)', access: 'catalog:read', query: transferListQuery, response: transferList }, ({ query }) =>
    listTransfers(query),
  )
  .post(
    '/',
    { operationId: 'createTransfer',
      summary: 'Draft a transfer between two locations (nothing moves until it ships)',
      description: 'Requires `stock:record`. The same location twice, or an unknown or archived location, is 400 naming the field.',
      access: 'stock:record',
      body: createTransferBody,
      status: 201,
      response: TransferSchema,
    },
    ({ body, actor }) => createTransfer(body, actor),
  )
  .get('/:id', { operationId: 'getTransfer', summary: 'A transfer with its lines (quantity, shipped, received)', access: 'catalog:read', params: idParams, response: TransferSchema }, ({ params }) => getTransfer(params.id))
  .post(
    '/:id/ship',
    { operationId: 'shipTransfer',
      summary: 'Ship a draft: the quantities leave the source location at once (ledger reason transfer_out) and are in transit',
      description: 'Requires `stock:record`. Any short line answers 409 INSUFFICIENT_STOCK and nothing moves; a transfer that is not a draft is 409 CONFLICT.',
      access: 'stock:record',
      params: idParams,
      response: TransferSchema,
      errors: [409],
    },
    ({ params, actor }) => shipTransfer(params.id, actor),
  )
  .post(
    '/:id/receive',
    { operationId: 'receiveTransfer',
      summary: 'Receive a shipped transfer at the destination (all outstanding, or the given items; ledger reason transfer_in)',
      description: 'Requires `stock:record`. Partial receipts give partially_received, the last one received. More than is in transit is 400.',
      access: 'stock:record',
      params: idParams,
      body: receiveTransferBody,
      response: TransferSchema,
      errors: [409],
    },
    ({ params, body, actor }) => receiveTransfer(params.id, body, actor),
  )
  .post(
    '/:id/cancel',
    { operationId: 'cancelTransfer',
      summary: 'Cancel a transfer: a draft is just cancelled; what is still in transit goes back to the source (transfer_cancel)',
      description: 'Requires `stock:cancel`. A received or cancelled transfer is 409.',
      access: 'stock:cancel',
      params: idParams,
      response: TransferSchema,
      errors: [409],
    },
    ({ params, actor }) => cancelTransfer(params.id, actor),
  );
