import { neutraliseFormula } from '../../shared/csv.js';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform as CsvTransform } from '@json2csv/node';
import { Op, type WhereOptions } from 'sequelize';
import { Product } from './product.model.js';
import { imageUrlOf } from './product-image.js';
import { productWhere, supplierInclude } from './product.service.js';
import type { ProductFilters } from './product.schemas.js';

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

const safeText = (value: string | null | undefined): string | null => neutraliseFormula(value ?? null);

function toRow(product: Product): CsvRow {
  const supplier = (product as Product & { supplier?: { name: string } | null }).supplier;
  return {
    id: product.id,
    sku: safeText(product.sku),
    name: safeText(product.name),
    category: safeText(product.category),
    description: safeText(product.description),
    price: product.price.toFixed(2),
    costPrice: product.costPrice.toFixed(2),
    stock: product.stock,
    lowStockThreshold: product.lowStockThreshold,
    reorderQuantity: product.reorderQuantity,
    supplierId: product.supplierId,
    supplierName: safeText(supplier?.name),
    targetRole: product.targetRole,
    discountPercent: product.discountPercent,
    barcode: safeText(product.barcode),
    unit: safeText(product.unit),
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

/**
 * The filtered product list as a CSV text stream (header row first). The
 * filters are resolved before it is returned, so a caller can still answer
 * with an error instead of a broken download.
 */
export async function productsCsvStream(filters: ProductFilters): Promise<Readable> {
  const where = await productWhere(filters);
  const csv = new CsvTransform<CsvRow, CsvRow>({ fields: [...COLUMNS], withBOM: false, eol: '\r\n' }, {}, { objectMode: true });
  const rows = Readable.from(productBatches(where));
  // Either side failing or closing early (client gone) stops the other, so the batch reader never leaks.
  rows.on('error', (err) => csv.destroy(err));
  csv.on('close', () => rows.destroy());
  return rows.pipe(csv);
}

/** Streams the CSV into `out` (an HTTP response, a file); shared by the REST export and the admin panel. */
export async function streamProductsCsv(filters: ProductFilters, out: Writable): Promise<void> {
  await pipeline(await productsCsvStream(filters), out);
}

/** `products-2026-11-05.csv`, dated in the business time zone. */
export function productsCsvFilename(timezone: string, now = new Date()): string {
  return `products-${new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)}.csv`;
}
