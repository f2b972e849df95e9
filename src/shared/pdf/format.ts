/** Formatting shared by the invoice and the report PDFs (PDFKit's built-in fonts speak WinAnsi only). */
export function moneyFormatter(currency: string): (value: number) => string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // Symbols outside Latin-1 (and the euro sign) would print as garbage: fall back to the ISO code.
  return (value) => {
    const text = format.format(value);
    return /^[\x20-\xFF€]*$/.test(text) ? text : `${currency} ${plain.format(value)}`;
  };
}

export function dateFormatter(timeZone: string, withTime = false): (value: Date | string) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  });
  return (value) => format.format(new Date(value));
}

/** Resolves when PDFKit has flushed the whole document into the piped stream. */
export function finished(doc: PDFKit.PDFDocument): Promise<void> {
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
}

/** A new PDF document; pdfkit (and its fonts) is loaded on the first one, not at every start (a third of a second). */
export async function pdfDocument(options: PDFKit.PDFDocumentOptions): Promise<PDFKit.PDFDocument> {
  const { default: PDFDocument } = await import('pdfkit');
  return new PDFDocument(options);
}
