import { ApiRouter } from '../../http/route.js';
import { idParams } from '../../shared/schemas.js';
import { countList, countListQuery, createCountBody, recordCountsBody, StockCountSchema } from './stock-count.schemas.js';
import { cancelCount, createCount, getCount, listCounts, postCount, recordCounts, submitCount, writeCountSheet } from './stock-count.service.js';

export const stockCountRoutes = new ApiRouter('/stock-counts', 'Stock counts')
  .get('/', { operationId: 'listStockCounts', summary: 'Stock counts, newest first (filters: status, locationId), each with its totals', access: 'catalog:read', query: countListQuery, response: countList }, ({ query, actor }) =>
    listCounts(query, actor),
  )
  .post(
    '/',
    { operationId: 'createStockCount',
      summary: 'Open a count at a location: its lines are snapshotted (expected quantity now)',
      description:
        'Requires `stock:record`. Lines: `productIds`, else every active product of `category`, else every active product with stock or history at the location. ' +
        'In a blind count `expected` is null for staff and viewers until the count is submitted.',
      access: 'stock:record',
      body: createCountBody,
      status: 201,
      response: StockCountSchema,
    },
    ({ body, actor }) => createCount(body, actor),
  )
  .get('/:id', { operationId: 'getStockCount', summary: 'A count with its lines and totals', access: 'catalog:read', params: idParams, response: StockCountSchema }, ({ params, actor }) => getCount(params.id, actor))
  .put(
    '/:id/lines',
    { operationId: 'recordStockCounts',
      summary: 'Record counted quantities (as often as needed while counting)',
      description: 'Requires `stock:record`. A product not in the count is 400; a count no longer counting is 409. Each line keeps the net stock change at the location since the snapshot, up to the moment it is counted.',
      access: 'stock:record',
      params: idParams,
      body: recordCountsBody,
      response: StockCountSchema,
      errors: [409],
    },
    ({ params, body, actor }) => recordCounts(params.id, body, actor),
  )
  .post(
    '/:id/submit',
    { operationId: 'submitStockCount',
      summary: 'Submit for review: each counted line gets variance = counted - (expected + movementsSince) and its value at cost',
      access: 'stock:record',
      params: idParams,
      response: StockCountSchema,
      errors: [409],
    },
    ({ params, actor }) => submitCount(params.id, actor),
  )
  .post(
    '/:id/post',
    { operationId: 'postStockCount',
      summary: 'Post a submitted count: one ledger row (reason count) per line with a variance; uncounted lines change nothing',
      description: 'Requires `counts:post`. Posting twice is 409.',
      access: 'counts:post',
      params: idParams,
      response: StockCountSchema,
      errors: [409],
    },
    ({ params, actor }) => postCount(params.id, actor),
  )
  .post(
    '/:id/cancel',
    { operationId: 'cancelStockCount', summary: 'Cancel a count that is not posted', description: 'Requires `counts:post`.', access: 'counts:post', params: idParams, response: StockCountSchema, errors: [409] },
    ({ params, actor }) => cancelCount(params.id, actor),
  )
  .get(
    '/:id/sheet.pdf',
    { operationId: 'getStockCountSheet', summary: 'A printable count sheet (no expected quantities in a blind count)', access: 'exports:read', params: idParams, response: { contentType: 'application/pdf', description: 'Count sheet PDF' } },
    async ({ params, actor, res }) => {
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="stock-count-${params.id}.pdf"`);
      await writeCountSheet(params.id, actor, res);
    },
  );
