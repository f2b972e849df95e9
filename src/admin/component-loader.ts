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
export function componentSource(relative: string): string {
  return path.join(resolveRoot(), relative);
}

function resolveRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = path.resolve(here, '..', '..');
  return path.basename(path.resolve(fromSource)) === 'dist' ? path.resolve(fromSource, '..') : fromSource;
}

export const Components = {
  Dashboard: componentLoader.add('Dashboard', componentSource('src/admin/components/dashboard')),
  StockLedger: componentLoader.add('StockLedger', componentSource('src/admin/components/stock-ledger')),
  CustomerOrders: componentLoader.add('CustomerOrders', componentSource('src/admin/components/customer-orders')),
  Thumbnail: componentLoader.add('Thumbnail', componentSource('src/admin/components/thumbnail')),
  ProductStock: componentLoader.add('ProductStock', componentSource('src/admin/components/product-stock')),
  LocationStock: componentLoader.add('LocationStock', componentSource('src/admin/components/location-stock')),
  TransferLines: componentLoader.add('TransferLines', componentSource('src/admin/components/transfer-lines')),
  CountLines: componentLoader.add('CountLines', componentSource('src/admin/components/count-lines')),
};

/** A plugin's component, registered with the one loader: `component('AdjustStock', 'plugins/stock-actions/components/adjust-stock')`. */
export function component(name: string, relativePath: string): string {
  return componentLoader.add(name, componentSource(relativePath));
}
