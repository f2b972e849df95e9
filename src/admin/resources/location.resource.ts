import type { ActionResponse, FeatureType, ResourceWithOptions } from 'adminjs';
import { Location } from '../../modules/locations/location.model.js';
import { createLocation, deleteLocation, locationStock, updateLocation } from '../../modules/locations/location.service.js';
import { createLocationBody, updateLocationBody } from '../../modules/locations/location.schemas.js';
import { canManageLocations, canReadCatalog } from '../access.js';
import { Components } from '../component-loader.js';
import { serviceResource } from '../service-resource.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

const STOCK_ROWS = 100;

/** The show page lists what the location holds (the same query as GET /api/locations/:id/stock). */
async function withStock(response: ActionResponse): Promise<ActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!id) return response;
  const stock = await locationStock(id, { page: 1, limit: STOCK_ROWS });
  response.record.params.stockHere = JSON.stringify({ rows: stock.data, total: stock.total });
  return response;
}

/** Locations: read by every back-office role, written (archive = edit archivedAt) by holders of locations:manage, through the location service. */
export function locationResource(features: FeatureType[] = []): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCatalog, create: canManageLocations, update: canManageLocations, remove: canManageLocations });
  return {
    resource: serviceResource(Location, {
      create: (input, actor) => {
        const { archivedAt, ...fields } = input;
        void archivedAt;
        return createLocation(createLocationBody.parse(fields), actor);
      },
      update: (id, input, actor) => updateLocation(id, updateLocationBody.parse(input), actor),
      delete: (id, actor) => deleteLocation(id, actor),
    }),
    options: {
      navigation: NAVIGATION.stock,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['code', 'name', 'type', 'isDefault', 'archivedAt'],
      filterProperties: ['code', 'name', 'type', 'isDefault', 'archivedAt'],
      showProperties: ['code', 'name', 'type', 'address', 'isDefault', 'archivedAt', 'createdAt', 'updatedAt', 'stockHere'],
      editProperties: ['name', 'code', 'type', 'address', 'isDefault', 'archivedAt'],
      properties: {
        address: { type: 'textarea' },
        archivedAt: { description: 'Set a time to archive the location (it must hold no stock); clear it to restore.' },
        stockHere: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.LocationStock } },
      },
      actions: { ...actions, show: { ...actions.show, after: withStock } },
    },
    features,
  };
}
