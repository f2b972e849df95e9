import type { Writable } from 'node:stream';
import { writeCsv } from '../../shared/csv.js';
import { Op, col, fn, type WhereOptions } from 'sequelize';
import { fromCents, sumCents, toCents } from '../../shared/money.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Location } from '../locations/location.model.js';
import { dateFormatter, moneyFormatter } from '../../shared/pdf/format.js';
import { renderReportPdf } from '../../shared/pdf/report.js';
import { Purchase, PurchaseItem } from './purchase.model.js';
import type { PurchaseFilters } from './purchase.schemas.js';
import { purchaseWhere } from './purchase.service.js';
import { now as clockNow } from '../../shared/clock.js';
import { reportReads } from '../../db/index.js';

const BATCH = 500;
const PDF_MAX_ROWS = 2000;
type Loaded = Purchase & { supplier?: Supplier | null; location?: Location | null };
type LoadedItem = PurchaseItem & { product?: Product };

/** Purchases matching `where` in id order, batch by batch (flat memory for any size). */
async function* purchaseBatches(where: WhereOptions<Purchase>): AsyncGenerator<{ purchases: Loaded[]; items: Map<number, LoadedItem[]> }> {
  let lastId = 0;
  for (;;) {
    const purchases: Loaded[] = await Purchase.findAll({
      where: { [Op.and]: [where, { id: { [Op.gt]: lastId } }] },
      include: [
        { model: Supplier, as: 'supplier', attributes: ['name'] },
        { model: Location, as: 'location', attributes: ['code'] },
      ],
      order: [['id', 'ASC']],
      limit: BATCH,
    });
    if (!purchases.length) return;
    lastId = purchases[purchases.length - 1].id;
    const rows: LoadedItem[] = await PurchaseItem.findAll({
      where: { purchaseId: purchases.map((p) => p.id) },
      include: [{ model: Product, as: 'product', attributes: ['name', 'sku'] }],
      order: [['id', 'ASC']],
    });
    const items = new Map<number, LoadedItem[]>();
    for (const row of rows) items.set(row.purchaseId, [...(items.get(row.purchaseId) ?? []), row]);
    yield { purchases, items };
  }
}

async function* csvRows(filters: PurchaseFilters) {
  for await (const { purchases, items } of purchaseBatches(await purchaseWhere(filters))) {
    for (const p of purchases) {
      for (const item of items.get(p.id) ?? []) {
        yield {
          purchaseId: p.id,
          reference: p.reference ?? '',
          date: p.createdAt.toISOString(),
          status: p.status,
          supplier: p.supplier?.name ?? '',
          location: p.location?.code ?? '',
          sku: item.product?.sku ?? '',
          product: item.product?.name ?? '',
          quantity: item.quantity,
          receivedQuantity: item.receivedQuantity,
          unitCost: item.unitCost,
          lineTotal: item.lineTotal,
          purchaseTotal: p.totalCost,
          receivedAt: p.receivedAt ? p.receivedAt.toISOString() : '',
        };
      }
    }
  }
}

const CSV_FIELDS = ['purchaseId', 'reference', 'date', 'status', 'supplier', 'location', 'sku', 'product', 'quantity', 'receivedQuantity', 'unitCost', 'lineTotal', 'purchaseTotal', 'receivedAt'];

/** Streams the filtered purchases as CSV (one row per line); reused by the AdminJS export. A report read (reportReads). */
export function writePurchasesCsv(filters: PurchaseFilters, stream: Writable): Promise<void> {
  return reportReads(() => writeCsv(csvRows(filters), CSV_FIELDS, stream));
}

/** PDF report of the filtered purchases: totals by status, then one line per purchase (capped). A report read (reportReads). */
export function writePurchasesPdf(filters: PurchaseFilters, stream: NodeJS.WritableStream): Promise<void> {
  return reportReads(() => purchasesPdf(filters, stream));
}

async function purchasesPdf(filters: PurchaseFilters, stream: NodeJS.WritableStream): Promise<void> {
  const settings = await getSettings();
  const money = moneyFormatter(settings.currency);
  const date = dateFormatter(settings.timezone);
  const where = await purchaseWhere(filters);
  const totals = (await Purchase.findAll({ where, attributes: ['status', [fn('COUNT', col('id')), 'count'], [fn('SUM', col('total_cost')), 'cost']], group: ['status'], raw: true })) as unknown as {
    status: string;
    count: number | string;
    cost: number | string | null;
  }[];
  const count = totals.reduce((n, r) => n + Number(r.count), 0);
  const cost = fromCents(sumCents(totals.filter((r) => r.status !== 'cancelled').map((r) => toCents(r.cost))));

  async function* rows() {
    for await (const { purchases, items } of purchaseBatches(where)) {
      for (const p of purchases) {
        const lines = items.get(p.id) ?? [];
        const ordered = lines.reduce((n, l) => n + l.quantity, 0);
        const received = lines.reduce((n, l) => n + l.receivedQuantity, 0);
        yield [String(p.id), p.reference ?? '', date(p.createdAt), p.supplier?.name ?? '', p.status.replace('_', ' '), String(lines.length), `${received} / ${ordered}`, p.expectedAt ? date(p.expectedAt) : '', money(p.totalCost)];
      }
    }
  }
  const range = filters.from || filters.to ? `${filters.from ?? 'start'} to ${filters.to ?? 'today'}` : 'all dates';
  await renderReportPdf(
    {
      title: 'Purchases report',
      companyName: settings.companyName,
      subtitle: `${range}${filters.status ? `, status ${filters.status}` : ''} - generated ${dateFormatter(settings.timezone, true)(clockNow())}`,
      summary: [['Purchases', String(count)], ...totals.map((r): [string, string] => [`  ${r.status.replace('_', ' ')}`, String(Number(r.count))]), ['Cost (not cancelled)', money(cost)]],
      columns: [
        { label: 'No.', width: 45, align: 'right' },
        { label: 'Reference', width: 100 },
        { label: 'Date', width: 80 },
        { label: 'Supplier', width: 170 },
        { label: 'Status', width: 95 },
        { label: 'Lines', width: 45, align: 'right' },
        { label: 'Received / ordered', width: 95, align: 'right' },
        { label: 'Expected', width: 60 },
        { label: 'Total cost', width: 70, align: 'right' },
      ],
      rows: rows(),
      maxRows: PDF_MAX_ROWS,
      totalRows: count,
    },
    stream,
  );
}
