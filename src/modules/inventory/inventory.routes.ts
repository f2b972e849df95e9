import { ApiRouter } from '../../http/route.js';
import {
  lowStockList,
  lowStockQuery,
  movementList,
  movementsQuery,
  reorderList,
  reorderQuery,
  ValuationSchema,
} from './inventory.schemas.js';
import { listLowStock } from './low-stock.service.js';
import { listMovements } from './movement.service.js';
import { listReorderRecommendations } from './reorder.service.js';
import { stockValuation } from './valuation.service.js';

export const inventoryRoutes = new ApiRouter('/inventory', 'Inventory')
  .get(
    '/low-stock',
    {
      operationId: 'listLowStockProducts',
      summary: 'Active products at or below their low-stock threshold',
      description:
        "Requires `catalog:read`. A product is low when its stock is at or below its own `lowStockThreshold` (settings.lowStockThreshold when unset), or at or below `threshold` when given. Sorted by stock, fewest first.",
      access: 'catalog:read',
      query: lowStockQuery,
      response: lowStockList,
    },
    ({ query }) => listLowStock(query),
  )
  .get(
    '/reorder-recommendations',
    {
      operationId: 'listReorderRecommendations',
      summary: 'What to reorder now, and how much',
      description:
        'Requires `catalog:read`. Per product: dailySalesRate = units sold in the last 30 days (non-cancelled sales and storefront orders) / 30; ' +
        'daysOfCover = stock / rate; safetyStock = ceil(rate x 50% of the supplier lead time), at least 1 when it sells; ' +
        'reorderPoint = ceil(rate x lead time (supplier, default 7 days)) + safetyStock; onOrder = open purchase quantities not yet received; ' +
        'recommendedQuantity = max(0, ceil(reorderPoint + rate x 30 - stock - onOrder)), or the product reorderQuantity when larger. ' +
        'Only products with stock + onOrder <= reorderPoint and something to order are listed, fewest days of cover first; `reason` explains the numbers.',
      access: 'catalog:read',
      query: reorderQuery,
      response: reorderList,
    },
    ({ query }) => listReorderRecommendations(query),
  )
  .get(
    '/movements',
    {
      operationId: 'listStockMovements',
      summary: 'The whole stock ledger, newest first',
      description: 'Requires `catalog:read`. Filters: productId, reason, from, to (a bare `to` date includes that whole day, UTC).',
      access: 'catalog:read',
      query: movementsQuery,
      response: movementList,
    },
    ({ query }) => listMovements(query),
  )
  .get(
    '/valuation',
    {
      operationId: 'getStockValuation',
      summary: 'Stock value at cost and at list price, by category and in total',
      description: 'Requires `catalog:read`. Active (not archived) products only.',
      access: 'catalog:read',
      response: ValuationSchema,
    },
    () => stockValuation(),
  );
