import express, { type Router } from 'express';
import type { ApiRouter } from './route.js';
import { systemRoutes } from './system.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { userRoutes } from '../modules/users/user.routes.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { productRoutes } from '../modules/products/product.routes.js';
import { supplierRoutes } from '../modules/suppliers/supplier.routes.js';
import { inventoryRoutes } from '../modules/inventory/inventory.routes.js';
import { stockAlertRoutes } from '../modules/inventory/stock-alert.routes.js';
import { dashboardRoutes } from '../modules/analytics/dashboard.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { storefrontRoutes } from '../modules/storefront/storefront.routes.js';
import { saleRoutes } from '../modules/sales/sale.routes.js';
import { purchaseRoutes } from '../modules/purchases/purchase.routes.js';
import { shipmentRoutes } from '../modules/purchases/shipment.routes.js';
import { aiRoutes } from '../modules/ai/ai.routes.js';
import { locationRoutes } from '../modules/locations/location.routes.js';
import { transferRoutes } from '../modules/transfers/transfer.routes.js';
import { stockCountRoutes } from '../modules/stock-counts/stock-count.routes.js';

/** Every feature router, in one list: this is the API's table of contents. */
function featureRouters(): ApiRouter[] {
  return [systemRoutes, authRoutes(), userRoutes, settingsRoutes, productRoutes, supplierRoutes, inventoryRoutes, locationRoutes, transferRoutes, stockCountRoutes, stockAlertRoutes, dashboardRoutes, auditRoutes, saleRoutes, purchaseRoutes, shipmentRoutes, ...storefrontRoutes, aiRoutes()];
}

export function apiRouter(): Router {
  const api = express.Router();
  for (const feature of featureRouters()) api.use(feature.base, feature.router);
  return api;
}
