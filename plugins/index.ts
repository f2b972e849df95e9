import type { PanelPlugins } from '../src/admin/plugins.js';
import { aiInsightsPages } from './ai-insights/index.js';
import { csvExportFeature, csvExportRouter } from './exports/index.js';
import { invoiceFeature, invoiceRouter } from './invoices/index.js';
import { orderStatusFeature } from './order-actions/index.js';
import { productImageFeature } from './product-image/index.js';
import { productStockFeature, purchaseStockFeature, saleStockFeature } from './stock-actions/index.js';

/** Every plugin, placed on the panel's resources: the back office's table of contents beyond plain records. */
export function panelPlugins(): PanelPlugins {
  return {
    features: {
      products: [productStockFeature(), productImageFeature(), csvExportFeature()],
      suppliers: [csvExportFeature()],
      stockMovements: [csvExportFeature()],
      sales: [csvExportFeature(), saleStockFeature(), invoiceFeature()],
      purchases: [csvExportFeature(), purchaseStockFeature()],
      orders: [orderStatusFeature()],
      auditLogs: [csvExportFeature()],
    },
    pages: aiInsightsPages(),
    routers: (admin) => [csvExportRouter(admin), invoiceRouter()],
  };
}
