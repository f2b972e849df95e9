import { getSettings } from '../settings/settings.service.js';
import type { Settings } from '../settings/settings.schemas.js';
import { dateFormatter, finished, moneyFormatter, pdfDocument } from '../../shared/pdf/format.js';
import { getSale, type SaleDto } from './sale.service.js';

const LEFT = 50;
const RIGHT = 545;
const COLUMNS = [
  { label: 'SKU', x: LEFT, width: 80, align: 'left' as const },
  { label: 'Description', x: 135, width: 190, align: 'left' as const },
  { label: 'Qty', x: 330, width: 50, align: 'right' as const },
  { label: 'Unit price', x: 385, width: 75, align: 'right' as const },
  { label: 'Amount', x: 465, width: 80, align: 'right' as const },
];

function tableHeader(doc: PDFKit.PDFDocument, y: number): number {
  doc.rect(LEFT, y, RIGHT - LEFT, 20).fill('#eef1f5');
  doc.fillColor('#333').font('Helvetica-Bold').fontSize(9);
  for (const c of COLUMNS) doc.text(c.label, c.x + 4, y + 6, { width: c.width - 8, align: c.align });
  return y + 24;
}

/** Draws the invoice of an already loaded sale into `stream` (an HTTP response, a file, a buffer). */
export async function renderInvoicePdf(sale: SaleDto, settings: Settings, stream: NodeJS.WritableStream): Promise<void> {
  const money = moneyFormatter(settings.currency);
  const date = dateFormatter(settings.timezone);
  const doc = await pdfDocument({
    size: 'A4',
    margin: LEFT,
    // Uncompressed content keeps the invoice text searchable by simple tools (and tests); invoices are small.
    compress: false,
    info: { Title: `Invoice ${sale.invoiceNumber}`, Author: settings.companyName, Subject: `Invoice ${sale.invoiceNumber}` },
  });
  const done = finished(doc);
  doc.pipe(stream);

  doc.fillColor('#111').font('Helvetica-Bold').fontSize(20).text(settings.companyName, LEFT, 50, { width: 280 });
  doc.fillColor('#6b7280').fontSize(26).text(sale.status === 'cancelled' ? 'CANCELLED' : 'INVOICE', 300, 48, { width: RIGHT - 300, align: 'right' });
  const meta: [string, string][] = [
    ['Invoice number', sale.invoiceNumber ?? ''],
    ['Invoice date', date(sale.createdAt)],
    ['Currency', settings.currency],
  ];
  if (sale.cancelledAt) meta.push(['Cancelled on', date(sale.cancelledAt)]);
  let y = 90;
  for (const [label, value] of meta) {
    doc.font('Helvetica').fontSize(9).fillColor('#6b7280').text(label, 330, y, { width: 100 });
    doc.font('Helvetica-Bold').fillColor('#111').text(value, 430, y, { width: RIGHT - 430, align: 'right' });
    y += 14;
  }

  doc.font('Helvetica-Bold').fontSize(9).fillColor('#6b7280').text('BILL TO', LEFT, 90);
  doc.font('Helvetica').fontSize(11).fillColor('#111').text(sale.customerName ?? 'Walk-in customer', LEFT, 104, { width: 250 });
  if (sale.customerEmail) doc.fontSize(9).fillColor('#374151').text(sale.customerEmail, { width: 250 });

  y = tableHeader(doc, Math.max(y, doc.y) + 24);
  doc.font('Helvetica').fontSize(9).fillColor('#111');
  for (const item of sale.items) {
    const rowHeight = Math.max(16, doc.heightOfString(item.productName, { width: COLUMNS[1].width - 8 }) + 6);
    if (y + rowHeight > 700) {
      doc.addPage();
      y = tableHeader(doc, 50);
      doc.font('Helvetica').fontSize(9).fillColor('#111');
    }
    const cells = [item.sku, item.productName, String(item.quantity), money(item.unitPrice), money(item.lineTotal)];
    COLUMNS.forEach((c, i) => doc.text(cells[i], c.x + 4, y, { width: c.width - 8, align: c.align }));
    y += rowHeight;
    doc.moveTo(LEFT, y - 3).lineTo(RIGHT, y - 3).strokeColor('#e5e7eb').lineWidth(0.5).stroke();
  }

  if (y > 650) {
    doc.addPage();
    y = 50;
  }
  const totals: [string, string, boolean][] = [['Subtotal', money(sale.subtotal), false]];
  if (sale.discount > 0) totals.push(['Discount', `-${money(sale.discount)}`, false]);
  totals.push([`Tax (${sale.taxRate}%)`, money(sale.tax), false], ['Total', money(sale.total), true]);
  y += 10;
  for (const [label, value, strong] of totals) {
    if (strong) doc.moveTo(330, y - 4).lineTo(RIGHT, y - 4).strokeColor('#111').lineWidth(1).stroke();
    doc.font(strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(strong ? 12 : 10).fillColor('#111');
    doc.text(label, 330, y, { width: 120 });
    doc.text(value, 450, y, { width: RIGHT - 450, align: 'right' });
    y += strong ? 20 : 16;
  }

  if (sale.notes) {
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#6b7280').text('NOTES', LEFT, y + 16);
    doc.font('Helvetica').fillColor('#111').text(sale.notes, LEFT, doc.y + 2, { width: 280 });
  }
  doc.font('Helvetica').fontSize(9).fillColor('#6b7280').text(`Thank you for your business. ${settings.companyName} - invoice ${sale.invoiceNumber}`, LEFT, 760, {
    width: RIGHT - LEFT,
    align: 'center',
    lineBreak: false,
  });
  doc.end();
  await done;
}

/** The invoice of sale `saleId` as a PDF (reused by the AdminJS invoice action). 404 before anything is written. */
export async function writeInvoicePdf(saleId: number, stream: NodeJS.WritableStream): Promise<void> {
  const [sale, settings] = await Promise.all([getSale(saleId), getSettings()]);
  await renderInvoicePdf(sale, settings, stream);
}
