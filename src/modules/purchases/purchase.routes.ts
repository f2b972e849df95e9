import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { writePurchasesCsv, writePurchasesPdf } from './purchase-export.js';
import { createPurchaseBody, purchaseExportQuery, purchaseListQuery, PurchaseSchema, receivePurchaseBody } from './purchase.schemas.js';
import { cancelPurchase, createPurchase, getPurchase, listPurchases, receivePurchase } from './purchase.service.js';
import { now as clockNow } from '../../shared/clock.js';

export const purchaseRoutes = new ApiRouter('/purchases', 'Purchases')
  .get(
    '/',
    { operationId: 'listPurchases', summary: 'List purchases (filters: from, to, supplierId, productId, status, search on reference)', access: 'catalog:read', query: purchaseListQuery, response: listOf(PurchaseSchema) },
    ({ query }) => listPurchases(query),
  )
  .post(
    '/',
    {
      operationId: 'createPurchase',
      summary: 'Record a purchase order',
      description:
        'Requires `stock:record`. Stock rises only on receipt: created as `received` it is received at once, otherwise through POST /{id}/receive. ' +
        'An unknown supplier or an unknown/archived product answers 400 BAD_REQUEST.',
      access: 'stock:record',
      body: createPurchaseBody,
      status: 201,
      response: PurchaseSchema,
    },
    ({ body, actor }) => createPurchase(body, actor),
  )
  .get(
    '/export',
    {
      operationId: 'exportPurchases',
      summary: 'Export the filtered purchases as CSV (one row per line) or a PDF report',
      access: 'exports:read',
      query: purchaseExportQuery,
      response: { contentType: 'text/csv', description: 'CSV (format=csv) or application/pdf (format=pdf)' },
    },
    async ({ query, res }) => {
      const { format, ...filters } = query;
      res.setHeader('Content-Type', format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="purchases-${clockNow().toISOString().slice(0, 10)}.${format}"`);
      await (format === 'pdf' ? writePurchasesPdf(filters, res) : writePurchasesCsv(filters, res));
    },
  )
  .get('/:id', { operationId: 'getPurchase', summary: 'A purchase with its lines and received quantities', access: 'catalog:read', params: idParams, response: PurchaseSchema }, ({ params }) =>
    getPurchase(params.id),
  )
  .post(
    '/:id/receive',
    {
      operationId: 'receivePurchase',
      summary: 'Receive a purchase, fully or partially',
      description:
        'Requires `stock:record`. Without `items` every outstanding quantity is received. A quantity above what is outstanding answers 400; ' +
        'a cancelled or fully received purchase answers 409. Status becomes `partially_received` or `received`.',
      access: 'stock:record',
      params: idParams,
      body: receivePurchaseBody,
      response: PurchaseSchema,
      errors: [409],
    },
    ({ params, body, actor }) => receivePurchase(params.id, body, actor),
  )
  .post(
    '/:id/cancel',
    { operationId: 'cancelPurchase', summary: 'Cancel a purchase while nothing of it has been received (409 otherwise)', access: 'stock:cancel', params: idParams, response: PurchaseSchema, errors: [409] },
    ({ params, actor }) => cancelPurchase(params.id, actor),
  );
