import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { catalogListQuery, ShopProductSchema } from './catalog.schemas.js';
import { getCatalogProduct, listCatalog } from './catalog.service.js';
import { priceTierOf } from './pricing.js';

const PRICES = 'Active products only. Prices are for the caller: retailers get retailer prices; customers, anonymous callers and back-office users get customer prices.';

export const catalogRoutes = new ApiRouter('/storefront/products', 'Storefront')
  .get(
    '/',
    {
      operationId: 'listShopProducts',
      summary: 'Shopper catalogue (search, category, price range, sort by name, price, createdAt or rating)',
      description: `${PRICES} Each product carries its rating average and count.`,
      access: 'optional',
      query: catalogListQuery,
      response: listOf(ShopProductSchema),
    },
    ({ query, user }) => listCatalog(query, priceTierOf(user?.role)),
  )
  .get(
    '/:id',
    { operationId: 'getShopProduct', summary: 'One product as a shopper sees it', description: PRICES, access: 'optional', params: idParams, response: ShopProductSchema },
    ({ params, user }) => getCatalogProduct(params.id, priceTierOf(user?.role)),
  );
