import { ApiRouter } from '../../http/route.js';
import { idParams } from '../../shared/schemas.js';
import {
  createLocationBody,
  locationList,
  locationListQuery,
  LocationSchema,
  locationStockList,
  locationStockQuery,
  updateLocationBody,
} from './location.schemas.js';
import { createLocation, deleteLocation, getLocation, listLocations, locationStock, updateLocation } from './location.service.js';

export const locationRoutes = new ApiRouter('/locations', 'Locations')
  .get('/', { operationId: 'listLocations', summary: 'Locations (archived ones with includeArchived=true)', access: 'catalog:read', query: locationListQuery, response: locationList }, ({ query }) => listLocations(query))
  .post(
    '/',
    { operationId: 'createLocation', summary: 'Create a location', description: 'Requires `locations:manage`. Name and code are unique (409 DUPLICATE).', access: 'locations:manage', body: createLocationBody, status: 201, response: LocationSchema, errors: [409] },
    ({ body, actor }) => createLocation(body, actor),
  )
  .get('/:id', { operationId: 'getLocation', summary: 'A location', access: 'catalog:read', params: idParams, response: LocationSchema }, ({ params }) => getLocation(params.id))
  .put(
    '/:id',
    { operationId: 'updateLocation',
      summary: 'Update a location (partial); archivedAt archives it, null restores it',
      description:
        'Requires `locations:manage`. Exactly one location is the default: `isDefault: true` moves it here; the default cannot give it up, be archived or be deleted (409). A location holding stock cannot be archived (409).',
      access: 'locations:manage',
      params: idParams,
      body: updateLocationBody,
      response: LocationSchema,
      errors: [409],
    },
    ({ params, body, actor }) => updateLocation(params.id, body, actor),
  )
  .delete(
    '/:id',
    { operationId: 'deleteLocation',
      summary: 'Delete a location that never held stock',
      description: 'Requires `locations:manage`. A location with stock or history (ledger rows, transfers, counts) is 409 CONFLICT: archive it instead.',
      access: 'locations:manage',
      params: idParams,
      errors: [409],
    },
    async ({ params, actor }) => {
      await deleteLocation(params.id, actor);
    },
  )
  .get(
    '/:id/stock',
    { operationId: 'listLocationStock', summary: 'The products held at this location, with their quantity (filters search, lowStock)', access: 'catalog:read', params: idParams, query: locationStockQuery, response: locationStockList },
    ({ params, query }) => locationStock(params.id, query),
  );
