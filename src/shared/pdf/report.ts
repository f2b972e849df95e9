import { finished, pdfDocument } from './format.js';

export interface ReportColumn {
  label: string;
  width: number;
  align?: 'left' | 'right';
}

export interface Report {
  title: string;
  companyName: string;
  subtitle: string;
  summary: [string, string][];
  columns: ReportColumn[];
  rows: AsyncIterable<string[]>;
  /** Rows beyond this are counted, not drawn (a note says so). */
  maxRows: number;
  totalRows: number;
}

const LEFT = 40;

function header(doc: PDFKit.PDFDocument, columns: ReportColumn[], y: number): number {
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  doc.rect(LEFT, y, width, 16).fill('#eef1f5');
  doc.font('Helvetica-Bold').fontSize(8).fillColor('#333');
  let x = LEFT;
  for (const c of columns) {
    doc.text(c.label, x + 3, y + 4, { width: c.width - 6, align: c.align ?? 'left', lineBreak: false });
    x += c.width;
  }
  return y + 20;
}

/** A tabular PDF report (landscape A4): title, summary figures, then one line per row, capped at `maxRows`. */
export async function renderReportPdf(report: Report, stream: NodeJS.WritableStream): Promise<void> {
  const doc = await pdfDocument({ size: 'A4', layout: 'landscape', margin: LEFT, compress: false, info: { Title: report.title, Author: report.companyName } });
  const done = finished(doc);
  doc.pipe(stream);
  doc.font('Helvetica-Bold').fontSize(16).fillColor('#111').text(report.title, LEFT, 40);
  doc.font('Helvetica').fontSize(9).fillColor('#6b7280').text(`${report.companyName} - ${report.subtitle}`);
  let y = doc.y + 10;
  for (const [label, value] of report.summary) {
    doc.font('Helvetica').fontSize(9).fillColor('#6b7280').text(label, LEFT, y, { width: 140 });
    doc.font('Helvetica-Bold').fillColor('#111').text(value, LEFT + 140, y, { width: 200 });
    y += 13;
  }
  y = header(doc, report.columns, y + 10);
  let drawn = 0;
  for await (const row of report.rows) {
    if (drawn >= report.maxRows) break;
    if (y > 540) {
      doc.addPage();
      y = header(doc, report.columns, 40);
    }
    doc.font('Helvetica').fontSize(8).fillColor('#111');
    let x = LEFT;
    report.columns.forEach((c, i) => {
      doc.text(row[i] ?? '', x + 3, y, { width: c.width - 6, align: c.align ?? 'left', lineBreak: false, ellipsis: true });
      x += c.width;
    });
    y += 13;
    drawn += 1;
  }
  if (report.totalRows > drawn) {
    doc.font('Helvetica-Oblique').fontSize(9).fillColor('#b45309')
      .text(`Showing the first ${drawn} of ${report.totalRows} rows. Export CSV for the complete list.`, LEFT, y + 8);
  } else if (drawn === 0) {
    doc.font('Helvetica-Oblique').fontSize(9).fillColor('#6b7280').text('No records match the filters.', LEFT, y + 4);
  }
  doc.end();
  await done;
}
