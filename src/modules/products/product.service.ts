import { Op, UniqueConstraintError, type InferAttributes, col, fn, literal, where as sqlWhere, type Includeable, type OrderItem as SqlOrder, type WhereOptions } from 'sequelize';
import { afterCommit, currentTransaction, primaryRows, transaction } from '../../db/index.js';
import { toDate } from '../../db/columns.js';
import { toMoney } from '../../shared/money.js';
import { badRequest, duplicate, notFound, validationFailed } from '../../shared/errors.js';
import { can, type Role } from '../../shared/rights.js';
import { getCatalogProduct, listCatalog } from '../storefront/catalog.service.js';
import type { ShopProduct } from '../storefront/catalog.schemas.js';
import { priceTierOf } from '../storefront/pricing.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import type { Actor } from '../../shared/actor.js';
import { now } from '../../shared/clock.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { applyStockChanges } from '../inventory/inventory.service.js';
import { resolveLocation } from '../locations/location.service.js';
import { StockMovement } from '../inventory/stock-movement.model.js';
import { StockLevel } from '../inventory/stock-level.model.js';
import { PurchaseItem } from '../purchases/purchase.model.js';
import { SaleItem } from '../sales/sale.model.js';
import { OrderItem } from '../storefront/storefront.models.js';
import { getSettings } from '../settings/settings.service.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Product } from './product.model.js';
import { imageUrlOf, removeProductImage, storeProductImage } from './product-image.js';
import { ensureSkuSequence, generateSku } from './sku.js';
import { productSearch } from './product-search.js';
import { MAX_KEPT_MATCHES, productListIds, searchMatches, type ListedIds } from './product-cache.js';
import { listMovements as listLedger } from '../inventory/movement.service.js';
import type { AdjustStockInput, CreateProductInput, MovementListQuery, ProductBrowseQuery, ProductFilters, ProductListQuery, UpdateProductInput } from './product.schemas.js';

export type ProductJson = ReturnType<typeof productJson>;

export const supplierInclude: Includeable = { model: Supplier, as: 'supplier', attributes: ['id', 'name'] };

/** The API shape: model fields plus `imageUrl` and the supplier's id and name. */
export function productJson(product: Product) {
  const { supplier, ...plain } = product.get({ plain: true }) as InferAttributes<Product> & { supplier?: { id: number; name: string } | null };
  return { ...plain, supplier: supplier ? { id: supplier.id, name: supplier.name } : null, imageUrl: imageUrlOf(plain.image) };
}

/** The WHERE of the product list, shared by the list and the CSV export (columns qualified for joins). */
export async function productWhere(filters: ProductFilters): Promise<WhereOptions<Product>> {
  const and: WhereOptions[] = [];
  if (!filters.includeArchived) and.push({ archivedAt: null });
  if (filters.category) and.push({ category: filters.category });
  if (filters.supplierId) and.push({ supplierId: filters.supplierId });
  if (filters.minPrice !== undefined) and.push({ price: { [Op.gte]: filters.minPrice } });
  if (filters.maxPrice !== undefined) and.push({ price: { [Op.lte]: filters.maxPrice } });
  if (filters.inStock !== undefined) and.push({ stock: filters.inStock ? { [Op.gt]: 0 } : { [Op.lte]: 0 } });
  if (filters.lowStock !== undefined) {
    const { lowStockThreshold } = await getSettings();
    const threshold = fn('COALESCE', col('Product.low_stock_threshold'), Math.trunc(lowStockThreshold));
    and.push(sqlWhere(col('Product.stock'), filters.lowStock ? Op.lte : Op.gt, threshold));
  }
  if (filters.search) and.push(literal((await productSearch(filters.search, 'Product')).where));
  return { [Op.and]: and };
}

/**
 * GET /api/products for every caller: back-office roles get the full product
 * list (archived ones on request, cost prices, suppliers); shoppers and
 * anonymous callers the active catalogue at the price for their role, where
 * the back-office filters (supplier, stock levels, archived) do not apply.
 */
export function browseProducts(query: ProductBrowseQuery, role: Role | undefined): Promise<Page<ProductJson> | Page<ShopProduct>> {
  if (can(role, 'catalog:read')) {
    if (query.sort === 'rating' || query.sort === '-rating') throw badRequest('Sorting by rating is for the storefront catalogue', [{ path: 'sort', message: 'use name, sku, price, stock or createdAt' }]);
    return listProducts(query as ProductListQuery);
  }
  const { page, limit, sort, search, category, minPrice, maxPrice } = query;
  return listCatalog({ page, limit, sort, search, category, minPrice, maxPrice }, priceTierOf(role));
}

/** One product: the full record for the back office, the catalogue view (active only) for everyone else. */
export function browseProduct(id: number, role: Role | undefined): Promise<ProductJson | ShopProduct> {
  return can(role, 'catalog:read') ? getProduct(id) : getCatalogProduct(id, priceTierOf(role));
}

/** A product row read without a model instance (raw list or raw SQL), supplier joined as `supplier.id` / `supplier.name`. */
type ProductRow = Record<string, unknown>;

/** The same JSON as productJson, from a raw row (DECIMALs and dates normalised the way the model's getters do). */
function productFromRow(row: ProductRow): ProductJson {
  const supplierId = row['supplier.id'] as number | null;
  // primaryRows gives MariaDB's dates as ISO text already; SQLite's come as stored.
  const iso = (value: unknown) => (typeof value === 'string' && value.endsWith('Z') ? value : (toDate(value)?.toISOString() ?? null));
  return {
    id: row.id as number,
    sku: row.sku as string,
    name: row.name as string,
    description: row.description as string | null,
    category: row.category as string,
    price: toMoney(row.price as string | number),
    costPrice: toMoney(row.costPrice as string | number),
    stock: row.stock as number,
    lowStockThreshold: row.lowStockThreshold as number | null,
    reorderQuantity: row.reorderQuantity as number | null,
    supplierId: row.supplierId as number | null,
    targetRole: row.targetRole as ProductJson['targetRole'],
    discountPercent: toMoney(row.discountPercent as string | number),
    barcode: row.barcode as string | null,
    unit: row.unit as string,
    image: row.image as string | null,
    archivedAt: iso(row.archivedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    supplier: supplierId === null || supplierId === undefined ? null : { id: supplierId, name: row['supplier.name'] as string },
    imageUrl: imageUrlOf(row.image as string | null),
  } as unknown as ProductJson;
}

/** Whether a list query's selection (which products, how many) depends on stock, which every sale changes. */
const selectsByStock = (query: ProductListQuery) => query.inStock !== undefined || query.lowStock !== undefined;
const sortsByStock = (query: ProductListQuery) => /^-?stock$/.test(query.sort ?? '');

/**
 * One page of the back-office list, read as plain rows (no model instances).
 * With `search`, exact SKU or barcode hits come first, then the requested
 * sort; the total counts the same full-text match. What a sale cannot change
 * is kept (productListIds): the total unless stock filters it, and the page's
 * ids unless stock also orders it; kept ids are read again by primary key.
 */
export async function listProducts(query: ProductListQuery): Promise<Page<ProductJson>> {
  const shape = (data: ProductJson[], total: number) => ({ data, page: query.page, limit: query.limit, total });
  if (selectsByStock(query)) {
    const [total, rows] = await Promise.all([countProducts(query), readProductPage(query, false)]);
    return shape(rows.map(productFromRow), total);
  }
  if (sortsByStock(query)) {
    const { sort: _sort, page: _page, limit: _limit, ...selection } = query;
    if (query.search) {
      const matched = await searchMatches.get(JSON.stringify(selection), () => matchingIds(query));
      const rows = matched.ids.length === matched.total ? await pageOfMatches(matched, query) : (await readProductPage(query, false)).map(productFromRow);
      return shape(rows, matched.total);
    }
    const [{ total }, rows] = await Promise.all([
      productListIds.get(`count:${JSON.stringify(selection)}`, async () => ({ ids: [], total: await countProducts(query) })),
      readProductPage(query, false),
    ]);
    return shape(rows.map(productFromRow), total);
  }
  const { ids, total } = await productListIds.get(`page:${JSON.stringify(query)}`, async () => {
    const [count, rows] = await Promise.all([countProducts(query), readProductPage(query, true)]);
    return { ids: rows.map((row) => row.id as number), total: count };
  });
  return shape(await productsInOrder(ids), total);
}

/** The products of `ids` by primary key, in that order (those deleted meanwhile left out). */
async function productsInOrder(ids: number[]): Promise<ProductJson[]> {
  if (!ids.length) return [];
  const rows = await primaryRows<ProductRow>(PRODUCTS_BY_IDS, [ids]);
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return ids.flatMap((id) => (byId.has(Number(id)) ? [productFromRow(byId.get(Number(id))!)] : []));
}

/** The ids a query selects, ascending, with their count and exact hits; no ids (only the count) when there are more than MAX_KEPT_MATCHES (then each page is read from the full-text index). */
async function matchingIds(query: ProductListQuery): Promise<ListedIds> {
  const { rank } = await productSearch(query.search!, 'Product');
  const rows = (await Product.findAll({ where: await productWhere(query), attributes: ['id', [literal(rank), 'rank']], limit: MAX_KEPT_MATCHES + 1, raw: true })) as unknown as { id: number; rank: unknown }[];
  if (rows.length > MAX_KEPT_MATCHES) return { ids: [], total: await countProducts(query) };
  const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  return { ids, total: rows.length, exact: rows.filter((row) => Number(row.rank) === 0).length };
}

/**
 * One page of a search ordered by stock, from its kept matches: exact SKU or
 * barcode hits first, then the stock read now, then id (what readProductPage
 * orders by), the rows by primary key. Without exact hits (the common case)
 * and when the matches are a large enough share of the active products, the
 * page is found by walking the active products' stock index (walkStockIndex),
 * which reads about (offset + limit) / share entries; otherwise the matches'
 * rows are read and sorted (an IN list, about 2 µs per match on InnoDB
 * against 0.3 µs per index entry walked).
 */
async function pageOfMatches(matched: ListedIds, query: ProductListQuery): Promise<ProductJson[]> {
  if (!matched.ids.length) return [];
  const descending = query.sort?.startsWith('-') ?? false;
  const offset = offsetOf(query);
  if (!matched.exact && !query.includeArchived) {
    const { total: active } = await productListIds.get('count:active', async () => ({ ids: [], total: await Product.count({ where: { archivedAt: null } }) }));
    // Twice the entries the share predicts, so a page rarely falls short (then the IN list below answers).
    const entries = Math.ceil((2 * (offset + query.limit) * active) / matched.ids.length) + query.limit;
    if (entries <= WALK_PER_MATCH * matched.ids.length && entries <= MAX_WALK) {
      const page = await walkStockIndex(matched.ids, descending, offset, query.limit, entries);
      if (page) return productsInOrder(page);
    }
  }
  const { rank } = await productSearch(query.search!, 'Product');
  const active = query.includeArchived ? '' : 'Product.archived_at IS NULL AND ';
  const page = await primaryRows<{ id: number }>(
    `SELECT Product.id FROM products AS Product WHERE ${active}Product.id IN (${matched.ids.map((id) => Math.trunc(id)).join(',')})
      ORDER BY ${matched.exact ? `${rank} ASC, ` : ''}Product.stock ${descending ? 'DESC' : 'ASC'}, Product.id ASC LIMIT ${Math.trunc(query.limit)} OFFSET ${Math.trunc(offset)}`,
    [],
  );
  return productsInOrder(page.map((row) => Number(row.id)));
}

/** How many stock index entries a walk may read per kept match before the IN list is cheaper, and at most. */
const WALK_PER_MATCH = 4;
const MAX_WALK = 20_000;

/**
 * The ids of one page of `ids` (sorted ascending) ordered by stock, then id
 * ascending, from the first `entries` entries of the active products' stock
 * index in one statement; undefined when those entries do not settle the
 * page. Descending, the index gives ties by id descending: each stock value's
 * ids are turned round, and the last value read is left out unless the walk
 * reached the index's end (some of its ids may lie beyond).
 */
async function walkStockIndex(ids: readonly number[], descending: boolean, offset: number, limit: number, entries: number): Promise<number[] | undefined> {
  const direction = descending ? 'DESC' : 'ASC';
  const rows = await primaryRows<{ id: number | string; stock: number | string }>(
    `SELECT id, stock FROM products WHERE archived_at IS NULL ORDER BY stock ${direction}, id ${direction} LIMIT ?`,
    [Math.trunc(entries)],
  );
  const reachedEnd = rows.length < entries;
  const found: number[] = [];
  let group: number[] = [];
  let groupStock: number | undefined;
  const closeGroup = () => {
    found.push(...(descending ? group.reverse() : group));
    group = [];
  };
  for (const row of rows) {
    const stock = Number(row.stock);
    if (stock !== groupStock) {
      closeGroup();
      groupStock = stock;
    }
    const id = Number(row.id);
    if (includesSorted(ids, id)) group.push(id);
  }
  // Ascending, the last value's ids read are its lowest: a page may end among them.
  if (reachedEnd || !descending) closeGroup();
  if (found.length >= offset + limit || reachedEnd) return found.slice(offset, offset + limit);
  return undefined;
}

function includesSorted(sorted: readonly number[], value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

async function countProducts(query: ProductListQuery): Promise<number> {
  return Product.count({ where: await productWhere(query) });
}

async function readProductPage(query: ProductListQuery, idsOnly: boolean): Promise<ProductRow[]> {
  const where = await productWhere(query);
  const order: SqlOrder[] = [orderFrom(query.sort, 'name'), ['id', 'ASC']];
  if (query.search) order.unshift([literal((await productSearch(query.search, 'Product')).rank), 'ASC']);
  const page = { where, order, limit: query.limit, offset: offsetOf(query), raw: true };
  const rows = idsOnly ? await Product.findAll({ ...page, attributes: ['id'] }) : await Product.findAll({ ...page, include: [supplierInclude] });
  return rows as unknown as ProductRow[];
}

async function findProduct(id: number): Promise<Product> {
  const product = await Product.findByPk(id, { include: [supplierInclude] });
  if (!product) throw notFound('Product');
  return product;
}

/** The product columns under their attribute names, the supplier's as `supplier.id` / `supplier.name` (productFromRow). */
const PRODUCT_ROWS = `SELECT p.id, p.sku, p.name, p.description, p.category, p.price, p.cost_price AS costPrice, p.stock,
  p.low_stock_threshold AS lowStockThreshold, p.reorder_quantity AS reorderQuantity, p.supplier_id AS supplierId,
  p.target_role AS targetRole, p.discount_percent AS discountPercent, p.barcode, p.unit, p.image, p.archived_at AS archivedAt,
  p.created_at AS createdAt, p.updated_at AS updatedAt, s.id AS \`supplier.id\`, s.name AS \`supplier.name\`
  FROM products p LEFT JOIN suppliers s ON s.id = p.supplier_id`;
const PRODUCT_BY_ID = `${PRODUCT_ROWS} WHERE p.id = ?`;
const PRODUCTS_BY_IDS = `${PRODUCT_ROWS} WHERE p.id IN (?)`;

/** One product by primary key: one statement, no model instance. */
export async function getProduct(id: number): Promise<ProductJson> {
  const [row] = await primaryRows<ProductRow>(PRODUCT_BY_ID, [id]);
  if (!row) throw notFound('Product');
  return productFromRow(row);
}

async function assertSupplier(id: number | null | undefined): Promise<void> {
  if (!id) return;
  if (!(await Supplier.findByPk(id, { attributes: ['id'] }))) {
    throw validationFailed('Unknown supplier', [{ path: 'supplierId', message: `no supplier with id ${id}` }]);
  }
}

async function assertSkuFree(sku: string): Promise<void> {
  if (await Product.findOne({ attributes: ['id'], where: { sku } })) throw skuTaken(sku);
}

const skuTaken = (sku: string) => duplicate(`SKU ${sku} already exists`, [{ path: 'sku', message: 'already exists' }]);

const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

async function insertProduct(input: CreateProductInput, actor: Actor, at: Date | undefined): Promise<Product> {
  const { stock, sku, locationId, ...fields } = input;
  await assertSupplier(fields.supplierId);
  if (sku) await assertSkuFree(sku);
  const category = fields.category ?? 'General';
  const product = await Product.create(
    { ...defined(fields), name: fields.name, category, sku: sku ?? (await generateSku(category)), ...(at ? { createdAt: at, updatedAt: at } : {}) },
    { silent: Boolean(at) },
  );
  if (stock) {
    const location = await resolveLocation(locationId);
    await applyStockChanges(
      [{ productId: product.id, locationId: location.id, delta: stock }],
      { reason: 'initial', referenceType: 'product', referenceId: product.id, userId: actor.id, note: 'Initial stock', at },
    );
    product.stock = stock;
  }
  const snapshot = { ...defined(fields), sku: product.sku, category, stock: stock ?? 0 };
  await recordAudit({ userId: actor.id, action: 'product.create', entityType: 'product', entityId: product.id, changes: snapshot, ip: actor.ip });
  return product;
}

/**
 * Creates a product (SKU generated from the category when absent) and records
 * `stock` as an initial movement, in one transaction. Two creations racing for
 * the same generated SKU are retried; seeders backdate with `at`.
 */
export async function createProduct(input: CreateProductInput, actor: Actor, options: { at?: Date } = {}): Promise<ProductJson> {
  if (!input.sku) await ensureSkuSequence(input.category ?? 'General');
  for (let attempt = 1; ; attempt++) {
    try {
      const product = await transaction(() => insertProduct(input, actor, options.at));
      return currentTransaction() ? productJson(product) : getProduct(product.id);
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
      if (input.sku) throw skuTaken(input.sku);
      if (attempt >= 5 || currentTransaction()) throw err;
    }
  }
}

/** Partial update of the catalogue fields; stock is never written here. */
export async function updateProduct(id: number, input: UpdateProductInput, actor: Actor): Promise<ProductJson> {
  const { stock: _refused, ...rest } = input as UpdateProductInput & { stock?: unknown };
  const fields = defined(rest);
  await transaction(async () => {
    const product = await findProduct(id);
    if (fields.sku && fields.sku !== product.sku) await assertSkuFree(fields.sku);
    await assertSupplier(fields.supplierId);
    const before = product.get({ plain: true, clone: true });
    product.set(fields);
    await product.save();
    const changes = changedFields(before, fields);
    if (Object.keys(changes).length) {
      await recordAudit({ userId: actor.id, action: 'product.update', entityType: 'product', entityId: id, changes, ip: actor.ip });
    }
  }).catch((err: unknown) => {
    throw err instanceof UniqueConstraintError && fields.sku ? skuTaken(fields.sku) : err;
  });
  return getProduct(id);
}

/** What makes a product part of history (so it is archived, not destroyed), or null. */
async function findHistory(productId: number): Promise<string | null> {
  const probes = [
    ['sales', SaleItem, { productId }],
    ['purchases', PurchaseItem, { productId }],
    ['orders', OrderItem, { productId }],
    ['stock movements', StockMovement, { productId, reason: { [Op.ne]: 'initial' } }],
  ] as const;
  for (const [name, model, where] of probes) {
    if (await (model as typeof SaleItem).findOne({ attributes: ['id'], where: where as WhereOptions})) return name;
  }
  return null;
}

/**
 * A product with history (sales, purchases, orders, or stock movements beyond
 * its initial stock) is archived and returned; one without is destroyed with
 * its initial ledger row, and nothing is returned (204).
 */
export async function deleteProduct(id: number, actor: Actor): Promise<ProductJson | undefined> {
  const outcome = await transaction(async () => {
    const product = await findProduct(id);
    const history = await findHistory(id);
    if (history) {
      if (!product.archivedAt) {
        const archivedAt = now();
        await product.update({ archivedAt });
        await recordAudit(
          { userId: actor.id, action: 'product.archive', entityType: 'product', entityId: id, changes: { archivedAt: { from: null, to: archivedAt.toISOString() }, because: history }, ip: actor.ip }
        );
      }
      return { archived: true, image: null };
    }
    await StockMovement.destroy({ where: { productId: id } });
    await StockLevel.destroy({ where: { productId: id } });
    await product.destroy();
    await recordAudit(
      { userId: actor.id, action: 'product.delete', entityType: 'product', entityId: id, changes: { sku: product.sku, name: product.name, stock: product.stock }, ip: actor.ip }
    );
    return { archived: false, image: product.image };
  });
  if (outcome.archived) return getProduct(id);
  await removeProductImage(outcome.image);
  return undefined;
}

/** Replaces the product's image with a content-checked upload; the old file is removed after the commit. */
export async function setProductImage(id: number, buffer: Buffer | undefined, actor: Actor): Promise<ProductJson> {
  await findProduct(id);
  const stored = await storeProductImage(buffer);
  try {
    return await replaceProductImage(id, stored, actor);
  } catch (err) {
    await removeProductImage(stored);
    throw err;
  }
}

/**
 * Points the product at an image file already stored by storeProductImage
 * (the REST upload above, the panel's upload feature), or at none, with its
 * audit row; the previous file is removed once that commits.
 */
export async function replaceProductImage(id: number, image: string | null, actor: Actor): Promise<ProductJson> {
  return transaction(async () => {
    const product = await findProduct(id);
    const before = product.image;
    if (before !== image) {
      await product.update({ image });
      await recordAudit({ userId: actor.id, action: 'product.update', entityType: 'product', entityId: id, changes: { image: { from: before, to: image } }, ip: actor.ip });
      afterCommit(() => removeProductImage(before));
    }
    return productJson(await findProduct(id));
  });
}

/** Manual stock correction through the ledger (reason `adjustment`); shared by REST and the admin panel. */
export async function adjustStock(productId: number, input: AdjustStockInput, actor: Actor): Promise<ProductJson> {
  await transaction(async () => {
    const location = await resolveLocation(input.locationId);
    const [movement] = await applyStockChanges(
      [{ productId, locationId: location.id, delta: input.delta }],
      { reason: 'adjustment', adjustmentReason: input.reason, note: input.note ?? null, userId: actor.id }
    );
    await recordAudit(
      {
        userId: actor.id,
        action: 'stock.adjust',
        entityType: 'product',
        entityId: productId,
        changes: { stock: { from: movement.balanceAfter - input.delta, to: movement.balanceAfter }, delta: input.delta, reason: input.reason, note: input.note ?? null, location: location.code, movementId: movement.id },
        ip: actor.ip,
      }
    );
  });
  return getProduct(productId);
}

export async function listMovements(productId: number, query: MovementListQuery): Promise<Page<StockMovement>> {
  if (!(await Product.findByPk(productId, { attributes: ['id'] }))) throw notFound('Product');
  return listLedger({ ...query, productId });
}
