import type { Page } from '../../shared/page.js';
import { ReadCache } from '../../shared/read-cache.js';
import { Setting } from '../settings/setting.model.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Product } from './product.model.js';
import { onStockCommitted } from '../inventory/inventory.service.js';
import type { ProductJson } from './product.service.js';

/**
 * Pages of the back-office product list, by query. Dropped on every committed
 * product, supplier (names are listed) or settings (low-stock threshold) write,
 * on any instance (the shared generation, see ReadCache). Sales never read it.
 */
export const productListCache = new ReadCache<Page<ProductJson>>({ name: 'productList', max: 500, ttlMs: 2_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchCatalogueWrites(): void {
  productListCache.clear();
  productListCache.watch(Product, Supplier, Setting);
  onStockCommitted(invalidateList);
}

const invalidateList = () => productListCache.invalidate();
