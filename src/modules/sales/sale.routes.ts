import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { getSettings } from '../settings/settings.service.js';
import { renderInvoicePdf } from './invoice.pdf.js';
import { writeSalesCsv, writeSalesPdf } from './sale-export.js';
import { createSaleBody, saleExportQuery, saleListQuery, SaleSchema } from './sale.schemas.js';
import { cancelSale, createSale, getSale, listSales } from './sale.service.js';
import { now as clockNow } from '../../shared/clock.js';

export const saleRoutes = new ApiRouter('/sales', 'Sales')
  .get('/', { operationId: 'listSales', summary: 'List sales (filters: from, to, productId, userId, status, search)', access: 'catalog:read', query: saleListQuery, response: listOf(SaleSchema) }, ({ query }) =>
    listSales(query),
  )
  .post(
    '/',
    {
      operationId: 'createSale',
      summary: 'Record a sale',
      description:
        'Requires `stock:record`. All lines succeed or none: a short line answers 409 INSUFFICIENT_STOCK naming the product and nothing is written. ' +
        'An unknown or archived product answers 400 BAD_REQUEST with the offending `items.N.productId` in details. `unitPrice` defaults to the product price; ' +
        'tax is settings.taxRate % of (subtotal - discount), rounded to the cent. Sales arriving at the same moment may share one transaction: each is still ' +
        'accepted or refused on its own, answered only after its commit, and numbered in the order taken.',
      access: 'stock:record',
      body: createSaleBody,
      status: 201,
      response: SaleSchema,
      errors: [409],
    },
    ({ body, actor }) => createSale(body, actor),
  )
  .get(
    '/export',
    {
      operationId: 'exportSales',
      summary: 'Export the filtered sales as CSV (one row per line) or a PDF report',
      access: 'exports:read',
      query: saleExportQuery,
      response: { contentType: 'text/csv', description: 'CSV (format=csv) or application/pdf (format=pdf)' },
    },
    async ({ query, res }) => {
      const { format, ...filters } = query;
      const stamp = clockNow().toISOString().slice(0, 10);
      res.setHeader('Content-Type', format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="sales-${stamp}.${format}"`);
      await (format === 'pdf' ? writeSalesPdf(filters, res) : writeSalesCsv(filters, res));
    },
  )
  .get('/:id', { operationId: 'getSale', summary: 'A sale with its lines', access: 'catalog:read', params: idParams, response: SaleSchema }, ({ params }) => getSale(params.id))
  .get(
    '/:id/invoice.pdf',
    { operationId: 'getSaleInvoicePdf', summary: 'The invoice of a sale as PDF', access: 'exports:read', params: idParams, response: { contentType: 'application/pdf', description: 'Invoice PDF' } },
    async ({ params, res }) => {
      const [sale, settings] = await Promise.all([getSale(params.id), getSettings()]);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="${sale.invoiceNumber}.pdf"`);
      await renderInvoicePdf(sale, settings, res);
    },
  )
  .post(
    '/:id/cancel',
    { operationId: 'cancelSale', summary: 'Cancel a sale and restore its stock (once; again answers 409)', access: 'stock:cancel', params: idParams, response: SaleSchema, errors: [409] },
    ({ params, actor }) => cancelSale(params.id, actor),
  );
