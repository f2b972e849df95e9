import type { PanelPlugins } from '../src/admin/plugins.js';
import { aiInsightsPages } from './ai-insights/index.js';
import { csvExportFeature, csvExportRouter } from './exports/index.js';
import { invoiceFeature, invoiceRouter } from './invoices/index.js';
import { orderStatusFeature } from './order-actions/index.js';
import { productImageFeature } from './product-image/index.js';
import { productStockFeature, purchaseStockFeature, saleStockFeature } from './stock-actions/index.js';
import { locationTransferFeature, productTransferFeature, transferFeature } from './transfers/index.js';
import { stockCountFeature } from './stock-counts/index.js';

/** Every plugin, placed on the panel's resources: the back office's table of contents beyond plain records. */
export function panelPlugins(): PanelPlugins {
  return {
    features: {
      products: [productStockFeature(), productTransferFeature(), productImageFeature(), csvExportFeature()],
      suppliers: [csvExportFeature()],
      stockMovements: [csvExportFeature()],
      sales: [csvExportFeature(), saleStockFeature(), invoiceFeature()],
      purchases: [csvExportFeature(), purchaseStockFeature()],
      orders: [orderStatusFeature()],
      auditLogs: [csvExportFeature()],
      locations: [locationTransferFeature()],
      transfers: [transferFeature()],
      stockCounts: [stockCountFeature()],
    },
    pages: aiInsightsPages(),
    routers: (admin) => [csvExportRouter(admin), invoiceRouter()],
  };
}
