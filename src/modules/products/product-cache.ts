import { ReadCache } from '../../shared/read-cache.js';
import { Setting } from '../settings/setting.model.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Product } from './product.model.js';

/** Which products a list query selects, in order, and how many match: nothing a sale changes. */
export interface ListedIds {
  ids: number[];
  total: number;
}

/**
 * What a sale cannot change of back-office list pages: the total of a query
 * that stock does not filter (`count:` keys, no inStock/lowStock), and the
 * ids of a page that stock does not order either (`page:` keys); the rows are
 * read fresh by id on every request, so a sale (which writes only stock)
 * leaves these entries valid. Dropped on every committed product,
 * supplier (a deleted supplier unsets products' supplierId in the database)
 * or settings write, on any instance (the shared generation, see ReadCache).
 */
export const productListIds = new ReadCache<ListedIds>({ name: 'productListIds', max: 2_000, ttlMs: 60_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchCatalogueWrites(): void {
  productListIds.clear();
  productListIds.watch(Product, Supplier, Setting);
}
