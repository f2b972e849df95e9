import type { Writable } from 'node:stream';
import { writeCsv } from '../../shared/csv.js';
import { Op, type WhereOptions } from 'sequelize';
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

function toRow(product: Product): CsvRow {
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
    for (const product of batch) yield toRow(product);
    if (batch.length < BATCH_SIZE) return;
    lastId = batch[batch.length - 1].id;
  }
}

/** Streams the filtered products as CSV (header row first, id order) into `out`: an HTTP response, a file. */
export async function streamProductsCsv(filters: ProductFilters, out: Writable): Promise<void> {
  await writeCsv(productBatches(await productWhere(filters)), COLUMNS, out);
}

/** `products-2026-11-05.csv`, dated in the business time zone. */
export function productsCsvFilename(timezone: string, now = clockNow()): string {
  return `products-${new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)}.csv`;
}
