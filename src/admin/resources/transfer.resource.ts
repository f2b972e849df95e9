import type { ActionResponse, FeatureType, ResourceWithOptions } from 'adminjs';
import { Transfer } from '../../modules/transfers/transfer.model.js';
import { getTransfer } from '../../modules/transfers/transfer.service.js';
import { canReadCatalog } from '../access.js';
import { Components } from '../component-loader.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** The show page carries the transfer's lines (quantity, shipped, received) as the REST GET /api/transfers/:id gives them. */
async function withLines(response: ActionResponse): Promise<ActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!id) return response;
  const transfer = await getTransfer(id);
  response.record.params.transferLines = JSON.stringify({ lines: transfer.lines, inTransit: transfer.inTransit });
  return response;
}

/** Transfers are written by the transfers service only (the plugin's New transfer, Ship, Receive, Cancel). */
export function transferResource(features: FeatureType[] = []): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCatalog });
  return {
    resource: Transfer,
    options: {
      navigation: NAVIGATION.stock,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'reference', 'fromLocationId', 'toLocationId', 'status', 'createdAt', 'shippedAt', 'receivedAt'],
      filterProperties: ['reference', 'status', 'fromLocationId', 'toLocationId', 'createdAt'],
      showProperties: ['id', 'reference', 'fromLocationId', 'toLocationId', 'status', 'notes', 'userId', 'createdAt', 'shippedAt', 'receivedAt', 'cancelledAt', 'transferLines'],
      properties: {
        fromLocationId: { reference: 'locations' },
        toLocationId: { reference: 'locations' },
        notes: { type: 'textarea' },
        transferLines: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.TransferLines } },
      },
      actions: { ...actions, show: { ...actions.show, after: withLines } },
    },
    features,
  };
}
