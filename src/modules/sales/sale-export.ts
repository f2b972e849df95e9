import type { Writable } from 'node:stream';
import { Op, QueryTypes, fn, col, type WhereOptions } from 'sequelize';
import { db, reportReads } from '../../db/index.js';
import { toDate } from '../../db/columns.js';
import { writeCsv } from '../../shared/csv.js';
import { toMoney } from '../../shared/money.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { dateFormatter, moneyFormatter } from '../../shared/pdf/format.js';
import { renderReportPdf } from '../../shared/pdf/report.js';
import { Sale, SaleItem } from './sale.model.js';
import type { SaleFilters } from './sale.schemas.js';
import { saleWhere } from './sale.service.js';
import { now as clockNow } from '../../shared/clock.js';

const BATCH = 500;
const PDF_MAX_ROWS = 2000;

/** Sales matching `where`, oldest first, read in id-ordered batches so memory stays flat however many there are. */
async function* saleBatches(where: WhereOptions<Sale>): AsyncGenerator<{ sales: Sale[]; items: SaleItem[] }> {
  let lastId = 0;
  for (;;) {
    const sales = await Sale.findAll({ where: { [Op.and]: [where, { id: { [Op.gt]: lastId } }] }, order: [['id', 'ASC']], limit: BATCH });
    if (!sales.length) return;
    lastId = sales[sales.length - 1].id;
    const items = await SaleItem.findAll({
      where: { saleId: sales.map((s) => s.id) },
      include: [{ model: Product, as: 'product', attributes: ['name', 'sku'] }],
      order: [['saleId', 'ASC'], ['id', 'ASC']],
    });
    yield { sales, items };
  }
}

function groupBySale(items: SaleItem[]): Map<number, SaleItem[]> {
  const groups = new Map<number, SaleItem[]>();
  for (const item of items) groups.set(item.saleId, [...(groups.get(item.saleId) ?? []), item]);
  return groups;
}

/** A sale line joined with its sale and product, as the database returns it (money: number or string). */
interface LineRow {
  invoice_number: string | null;
  created_at: Date | string;
  status: string;
  customer_name: string | null;
  location: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price: Money;
  line_total: Money;
  subtotal: Money;
  discount: Money;
  tax: Money;
  total: Money;
}
type Money = number | string;

/** Two decimals: MySQL already returns DECIMAL(12,2) text that way, SQLite a number. */
const money2 = (value: Money) => (typeof value === 'string' && /^-?\d+\.\d\d$/.test(value) ? value : toMoney(value).toFixed(2));

const EXPORT_BATCH = 2000;

/** The lines of the next page of matching sales after `afterId`, or undefined at the end. */
async function linePage(where: WhereOptions<Sale>, afterId: number): Promise<{ lastId: number; rows: LineRow[] } | undefined> {
  const ids = (await Sale.findAll({ where: { [Op.and]: [where, { id: { [Op.gt]: afterId } }] }, attributes: ['id'], order: [['id', 'ASC']], limit: EXPORT_BATCH, raw: true })).map((s) => s.id);
  if (!ids.length) return undefined;
  const rows = await db().query<LineRow>(
    `SELECT s.invoice_number, s.created_at, s.status, s.customer_name, l.code AS location, p.sku, p.name, i.quantity, i.unit_price, i.line_total, s.subtotal, s.discount, s.tax, s.total
       FROM sale_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id JOIN locations l ON l.id = s.location_id
      WHERE i.sale_id IN (${ids.join(',')}) ORDER BY i.sale_id, i.id`,
    { type: QueryTypes.SELECT, raw: true },
  );
  return { lastId: ids[ids.length - 1], rows };
}

/**
 * One CSV row per sale line, sales oldest first: keyset pages of matching sale
 * ids, their lines in one joined raw query per page (no model instances), so
 * memory stays flat at any size.
 */
async function* csvRows(filters: SaleFilters) {
  const where = await saleWhere(filters);
  for (let page = await linePage(where, 0); page; page = await linePage(where, page.lastId)) {
    for (const r of page.rows) {
      yield {
        invoiceNumber: r.invoice_number,
        date: toDate(r.created_at)!.toISOString(),
        status: r.status,
        customerName: r.customer_name ?? '',
        location: r.location,
        sku: r.sku,
        product: r.name,
        quantity: r.quantity,
        unitPrice: money2(r.unit_price),
        lineTotal: money2(r.line_total),
        saleSubtotal: money2(r.subtotal),
        saleDiscount: money2(r.discount),
        saleTax: money2(r.tax),
        saleTotal: money2(r.total),
      };
    }
  }
}

const CSV_FIELDS = ['invoiceNumber', 'date', 'status', 'customerName', 'location', 'sku', 'product', 'quantity', 'unitPrice', 'lineTotal', 'saleSubtotal', 'saleDiscount', 'saleTax', 'saleTotal'];

/** Streams the filtered sales as CSV (one row per line) into `stream`; reused by the AdminJS export. A report read (reportReads). */
export function writeSalesCsv(filters: SaleFilters, stream: Writable): Promise<void> {
  return reportReads(() => writeCsv(csvRows(filters), CSV_FIELDS, stream));
}

/** A PDF report of the filtered sales: totals first, then one line per sale (capped, with a note). A report read (reportReads). */
export function writeSalesPdf(filters: SaleFilters, stream: NodeJS.WritableStream): Promise<void> {
  return reportReads(() => salesPdf(filters, stream));
}

async function salesPdf(filters: SaleFilters, stream: NodeJS.WritableStream): Promise<void> {
  const settings = await getSettings();
  const money = moneyFormatter(settings.currency);
  const date = dateFormatter(settings.timezone, true);
  const where = await saleWhere(filters);
  const totals = (await Sale.findAll({
    where,
    attributes: ['status', [fn('COUNT', col('id')), 'count'], [fn('SUM', col('total')), 'revenue'], [fn('SUM', col('tax')), 'tax']],
    group: ['status'],
    raw: true,
  })) as unknown as { status: string; count: number | string; revenue: string | number; tax: string | number }[];
  const count = totals.reduce((n, r) => n + Number(r.count), 0);
  const completed = totals.find((r) => r.status === 'completed');
  const cancelled = totals.find((r) => r.status === 'cancelled');
  const revenue = toMoney(completed?.revenue ?? 0);
  const range = filters.from || filters.to ? `${filters.from ?? 'start'} to ${filters.to ?? 'today'}` : 'all dates';

  async function* rows() {
    for await (const { sales, items } of saleBatches(where)) {
      const bySale = groupBySale(items);
      for (const s of sales) {
        const lines = bySale.get(s.id) ?? [];
        yield [s.invoiceNumber ?? '', date(s.createdAt), s.customerName ?? '', s.status, String(lines.length), String(lines.reduce((n, l) => n + l.quantity, 0)), money(s.subtotal), money(s.discount), money(s.tax), money(s.total)];
      }
    }
  }
  await renderReportPdf(
    {
      title: 'Sales report',
      companyName: settings.companyName,
      subtitle: `${range}${filters.status ? `, status ${filters.status}` : ''} - generated ${date(clockNow())}`,
      summary: [
        ['Sales', String(count)],
        ['Cancelled', String(Number(cancelled?.count ?? 0))],
        ['Revenue (tax included)', money(revenue)],
        ['Tax collected', money(toMoney(completed?.tax ?? 0))],
      ],
      columns: [
        { label: 'Invoice', width: 110 },
        { label: 'Date', width: 95 },
        { label: 'Customer', width: 130 },
        { label: 'Status', width: 65 },
        { label: 'Lines', width: 40, align: 'right' },
        { label: 'Units', width: 45, align: 'right' },
        { label: 'Subtotal', width: 75, align: 'right' },
        { label: 'Discount', width: 60, align: 'right' },
        { label: 'Tax', width: 60, align: 'right' },
        { label: 'Total', width: 80, align: 'right' },
      ],
      rows: rows(),
      maxRows: PDF_MAX_ROWS,
      totalRows: count,
    },
    stream,
  );
}
