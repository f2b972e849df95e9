import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

/** The one ComponentLoader: a second instance leaves components "not bundled". */
export const componentLoader = new ComponentLoader();

/**
 * Component sources (.jsx) are not compiled by tsc, so they are always loaded
 * from the source tree; the path is built from this file's location so it works
 * under tsx (src/admin) and from compiled output (dist/src/admin).
 */
function source(relative: string): string {
  return path.join(resolveRoot(), relative);
}

function resolveRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = path.resolve(here, '..', '..');
  return path.basename(path.resolve(fromSource)) === 'dist' ? path.resolve(fromSource, '..') : fromSource;
}

export const Components = {
  Dashboard: componentLoader.add('Dashboard', source('src/admin/components/dashboard')),
  StockLedger: componentLoader.add('StockLedger', source('src/admin/components/stock-ledger')),
  CustomerOrders: componentLoader.add('CustomerOrders', source('src/admin/components/customer-orders')),
  Thumbnail: componentLoader.add('Thumbnail', source('src/admin/components/thumbnail')),
  AdjustStock: componentLoader.add('AdjustStock', source('plugins/stock-actions/components/adjust-stock')),
  RecordSale: componentLoader.add('RecordSale', source('plugins/stock-actions/components/record-sale')),
  InvoiceDownload: componentLoader.add('InvoiceDownload', source('plugins/invoices/components/invoice-download')),
  ReceivePurchase: componentLoader.add('ReceivePurchase', source('plugins/stock-actions/components/receive-purchase')),
  ExportCsv: componentLoader.add('ExportCsv', source('plugins/exports/components/export-csv')),
  ImageUpload: componentLoader.add('ImageUpload', source('plugins/product-image/components/image-upload')),
  AiInsights: componentLoader.add('AiInsights', source('plugins/ai-insights/components/ai-insights')),
};
