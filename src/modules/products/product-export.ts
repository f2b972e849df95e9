import type { Writable } from 'node:stream';
import { writeCsv } from '../../shared/csv.js';
import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { db, reportReads } from '../../db/index.js';
import { Product } from './product.model.js';
import { imageUrlOf } from './product-image.js';
import { productWhere, supplierInclude } from './product.service.js';
import type { ProductFilters } from './product.schemas.js';
import { now as clockNow } from '../../shared/clock.js';

/** Rows read per query: memory stays flat however large the catalogue is. */
const BATCH_SIZE = 1000;

const COLUMNS = [
  'id',
  'sku',
  'name',
  'category',
  'description',
  'price',
  'costPrice',
  'stock',
  'stockByLocation',
  'lowStockThreshold',
  'reorderQuantity',
  'supplierId',
  'supplierName',
  'targetRole',
  'discountPercent',
  'barcode',
  'unit',
  'imageUrl',
  'archivedAt',
  'createdAt',
  'updatedAt',
] as const;

type CsvRow = Record<(typeof COLUMNS)[number], string | number | null>;

function toRow(product: Product, levels: string): CsvRow {
  const supplier = (product as Product & { supplier?: { name: string } | null }).supplier;
  return {
    id: product.id,
    sku: product.sku ?? null,
    name: product.name ?? null,
    category: product.category ?? null,
    description: product.description ?? null,
    price: product.price.toFixed(2),
    costPrice: product.costPrice.toFixed(2),
    stock: product.stock,
    stockByLocation: levels,
    lowStockThreshold: product.lowStockThreshold,
    reorderQuantity: product.reorderQuantity,
    supplierId: product.supplierId,
    supplierName: supplier?.name ?? null,
    targetRole: product.targetRole,
    discountPercent: product.discountPercent,
    barcode: product.barcode ?? null,
    unit: product.unit ?? null,
    imageUrl: imageUrlOf(product.image),
    archivedAt: product.archivedAt?.toISOString() ?? null,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** Per product, its quantity at each location that holds some: `MAIN:30 SHOP:10`. */
async function levelsOf(productIds: number[]): Promise<Map<number, string>> {
  const byProduct = new Map<number, string[]>();
  if (!productIds.length) return new Map();
  const rows = await db().query<{ product_id: number; code: string; quantity: number }>(
    `SELECT s.product_id, l.code, s.quantity FROM stock_levels s JOIN locations l ON l.id = s.location_id
      WHERE s.product_id IN (:productIds) AND s.quantity <> 0 ORDER BY s.product_id, l.is_default DESC, l.code`,
    { type: QueryTypes.SELECT, replacements: { productIds } },
  );
  for (const r of rows) byProduct.set(Number(r.product_id), [...(byProduct.get(Number(r.product_id)) ?? []), `${r.code}:${r.quantity}`]);
  return new Map([...byProduct].map(([id, parts]) => [id, parts.join(' ')]));
}

/** The filtered products in id order, read in keyset batches (`id > lastId`), never all at once. */
async function* productBatches(where: WhereOptions<Product>): AsyncGenerator<CsvRow> {
  let lastId = 0;
  for (;;) {
    const batch = await Product.findAll({
      where: { [Op.and]: [where, { id: { [Op.gt]: lastId } }] },
      include: [supplierInclude],
      order: [['id', 'ASC']],
      limit: BATCH_SIZE,
    });
    const levels = await levelsOf(batch.map((p) => p.id));
    for (const product of batch) yield toRow(product, levels.get(product.id) ?? '');
    if (batch.length < BATCH_SIZE) return;
    lastId = batch[batch.length - 1].id;
  }
}

/** Streams the filtered products as CSV (header row first, id order) into `out`: an HTTP response, a file. A report read (reportReads). */
export function streamProductsCsv(filters: ProductFilters, out: Writable): Promise<void> {
  return reportReads(async () => writeCsv(productBatches(await productWhere(filters)), COLUMNS, out));
}

/** `products-2026-11-05.csv`, dated in the business time zone. */
export function productsCsvFilename(timezone: string, now = clockNow()): string {
  return `products-${new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)}.csv`;
}
