import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { createSupplierBody, supplierListQuery, SupplierSchema, SupplierWithProductsSchema, updateSupplierBody } from './supplier.schemas.js';
import { createSupplier, deleteSupplier, getSupplier, listSuppliers, updateSupplier } from './supplier.service.js';

export const supplierRoutes = new ApiRouter('/suppliers', 'Suppliers')
  .get('/', { operationId: 'listSuppliers', summary: 'List suppliers', access: 'catalog:read', query: supplierListQuery, response: listOf(SupplierSchema) }, ({ query }) =>
    listSuppliers(query),
  )
  .post(
    '/',
    { operationId: 'createSupplier', summary: 'Create a supplier', access: 'catalog:write', body: createSupplierBody, status: 201, response: SupplierSchema },
    ({ body, actor }) => createSupplier(body, actor),
  )
  .get('/:id', { operationId: 'getSupplier', summary: 'Get a supplier with its products', access: 'catalog:read', params: idParams, response: SupplierWithProductsSchema }, ({ params }) =>
    getSupplier(params.id),
  )
  .put(
    '/:id',
    { operationId: 'updateSupplier', summary: 'Update a supplier (partial)', access: 'catalog:write', params: idParams, body: updateSupplierBody, response: SupplierSchema },
    ({ params, body, actor }) => updateSupplier(params.id, body, actor),
  )
  .delete(
    '/:id',
    {
      operationId: 'deleteSupplier',
      summary: 'Delete a supplier',
      description: 'Requires `catalog:delete`. Refused with 409 CONFLICT while products or purchases refer to the supplier.',
      access: 'catalog:delete',
      params: idParams,
      errors: [409],
    },
    async ({ params, actor }) => {
      await deleteSupplier(params.id, actor);
    },
  );
