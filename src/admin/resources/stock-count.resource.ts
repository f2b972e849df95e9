import type { ActionContext, ActionRequest, ActionResponse, FeatureType, ResourceWithOptions } from 'adminjs';
import { StockCount } from '../../modules/stock-counts/stock-count.model.js';
import { getCount } from '../../modules/stock-counts/stock-count.service.js';
import { canReadCatalog } from '../access.js';
import { Components } from '../component-loader.js';
import type { Role } from '../../shared/rights.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

/** The show page carries the count's lines and totals as the reader may see them (a blind count hides expected quantities from staff). */
async function withLines(response: ActionResponse, _request: ActionRequest, context: ActionContext): Promise<ActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!id) return response;
  const count = await getCount(id, { role: context.currentAdmin?.role as Role });
  response.record.params.countLines = JSON.stringify({ status: count.status, blind: count.blind, lines: count.lines, totals: count.totals });
  return response;
}

/** Stock counts are written by the stock-counts service only (the plugin's New count, Enter counts, Review and post, Cancel). */
export function stockCountResource(features: FeatureType[] = []): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCatalog });
  return {
    resource: StockCount,
    options: {
      navigation: NAVIGATION.stock,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'locationId', 'status', 'category', 'blind', 'createdAt', 'submittedAt', 'postedAt'],
      filterProperties: ['status', 'locationId', 'category', 'createdAt'],
      showProperties: ['id', 'locationId', 'status', 'category', 'blind', 'notes', 'userId', 'createdAt', 'submittedAt', 'postedAt', 'cancelledAt', 'countLines'],
      properties: {
        locationId: { reference: 'locations' },
        notes: { type: 'textarea' },
        countLines: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.CountLines } },
      },
      actions: { ...actions, show: { ...actions.show, after: withLines } },
    },
    features,
  };
}
