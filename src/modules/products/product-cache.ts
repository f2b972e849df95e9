import { ReadCache } from '../../shared/read-cache.js';
import { Setting } from '../settings/setting.model.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Product } from './product.model.js';

/** Which products a list query selects, in order, and how many match: nothing a sale changes. */
export interface ListedIds {
  /** In the page's order (productListIds) or ascending (searchMatches). */
  ids: number[];
  total: number;
  /** searchMatches: how many of the ids are exact SKU or barcode hits (listed first). */
  exact?: number;
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

/** The most matches a search keeps in searchMatches; a broader search is read from the full-text index each time. */
export const MAX_KEPT_MATCHES = 20_000;

/**
 * Every product a search selects (its filters but stock, which a sale
 * changes), for the pages that stock orders: the full-text match is the
 * costly part of those (about 3 µs per matching product on InnoDB), the
 * order by stock over the kept ids is read fresh each time. At most 64
 * searches of at most MAX_KEPT_MATCHES products each (about 10 MB); dropped
 * with productListIds.
 */
export const searchMatches = new ReadCache<ListedIds>({ name: 'productSearchMatches', max: 64, ttlMs: 60_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchCatalogueWrites(): void {
  for (const cache of [productListIds, searchMatches]) {
    cache.clear();
    cache.watch(Product, Supplier, Setting);
  }
}
