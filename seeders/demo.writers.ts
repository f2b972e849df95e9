import { createSale, priceSale, saleAudit, saleItemRows, saleRow, saleStockChange, type PricedSale } from '../src/modules/sales/sale.service.js';
import { Sale, SaleItem } from '../src/modules/sales/sale.model.js';
import { drawInvoiceNumbers } from '../src/modules/sales/invoice-number.js';
import { newPurchase, purchaseAudit, purchaseItemRows, purchaseLineCents, purchaseRow, purchaseStockChange, type NewPurchase } from '../src/modules/purchases/purchase.service.js';
import { Purchase, PurchaseItem } from '../src/modules/purchases/purchase.model.js';
import { applyStockHistory, type StockChange, type StockLine, type MovementContext } from '../src/modules/inventory/inventory.service.js';
import { auditRow, type AuditEntry } from '../src/modules/audit/audit.service.js';
import { AuditLog } from '../src/modules/audit/audit-log.model.js';
import type { Product } from '../src/modules/products/product.model.js';
import type { Settings } from '../src/modules/settings/settings.schemas.js';
import type { Actor } from '../src/shared/actor.js';
import { yearIn } from '../src/shared/date-range.js';
import { inChunks } from '../src/db/index.js';

/** One backdated sale through the sale service (prices, tax, invoice number, ledger, audit). */
export async function recordSeedSale(lines: { productId: number; quantity: number }[], userId: number | null, at: Date) {
  return createSale({ items: lines }, { id: userId }, { at });
}

type SeedProduct = Pick<Product, 'id' | 'price' | 'costPrice'>;

type Entry =
  | { kind: 'stock'; change: StockChange }
  | { kind: 'sale'; priced: PricedSale<SeedProduct>; at: Date; id?: number }
  | { kind: 'purchase'; data: NewPurchase<SeedProduct>; at: Date; id?: number; row?: ReturnType<typeof purchaseRow> };

async function insertAll<R>(rows: R[], insert: (chunk: R[]) => Promise<{ id: number }[]>): Promise<number[]> {
  const ids: number[] = [];
  for (const chunk of inChunks(rows)) ids.push(...(await insert(chunk)).map((r) => r.id));
  return ids;
}

/**
 * The demo's trading history: sales, purchases and stock movements recorded
 * in order, each priced, costed and numbered with the sale and purchase
 * services' own functions, then written at once (write()) in the seeder's
 * transaction: each table in a few multi-row INSERTs, the stock through
 * applyStockHistory (the same rules and ledger as one change at a time).
 * The same rows as recording each document through its service.
 */
export class SeedHistory {
  private readonly entries: Entry[] = [];

  constructor(
    private readonly actor: Actor & { id: number | null },
    private readonly settings: Pick<Settings, 'taxRate' | 'timezone' | 'invoicePrefix'>,
    private readonly locationId: number,
  ) {}

  stock(lines: StockLine[], context: MovementContext): void {
    this.entries.push({ kind: 'stock', change: { lines, context } });
  }

  sale(lines: { product: SeedProduct; quantity: number }[], at: Date): void {
    this.entries.push({ kind: 'sale', priced: priceSale(lines, 0, this.settings.taxRate), at });
  }

  purchase(supplierId: number, lines: { product: SeedProduct; quantity: number; unitCost: number }[], at: Date, received = true): void {
    const products = new Map(lines.map((l) => [l.product.id, l.product]));
    const items = lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, unitCost: l.unitCost }));
    this.entries.push({ kind: 'purchase', data: newPurchase({ supplierId, items, status: received ? 'received' : 'ordered' }, products), at });
  }

  async write(): Promise<void> {
    const { actor, locationId } = this;
    const sales = this.entries.filter((e) => e.kind === 'sale');
    const purchases = this.entries.filter((e) => e.kind === 'purchase');

    // Invoice numbers per year, in the order the sales happened.
    const periods = new Map<string, (typeof sales)[number][]>();
    for (const sale of sales) {
      const period = yearIn(sale.at, this.settings.timezone);
      periods.set(period, [...(periods.get(period) ?? []), sale]);
    }
    const numbers = new Map<(typeof sales)[number], string>();
    for (const [period, inPeriod] of periods) {
      const drawn = await drawInvoiceNumbers(this.settings.invoicePrefix, period, inPeriod.length);
      inPeriod.forEach((sale, i) => numbers.set(sale, drawn[i]));
    }

    const saleRows = sales.map((s) => ({ ...saleRow(s.priced, this.settings.taxRate, { userId: actor.id, locationId }, s.at), invoiceNumber: numbers.get(s)! }));
    (await insertAll(saleRows, (rows) => Sale.bulkCreate(rows))).forEach((id, i) => (sales[i].id = id));
    for (const p of purchases) p.row = purchaseRow(p.data, purchaseLineCents(p.data), actor.id, locationId, p.at);
    (await insertAll(purchases.map((p) => p.row!), (rows) => Purchase.bulkCreate(rows))).forEach((id, i) => (purchases[i].id = id));

    await insertAll(sales.flatMap((s) => saleItemRows(s.id!, s.priced, s.at)), (rows) => SaleItem.bulkCreate(rows));
    await insertAll(purchases.flatMap((p) => purchaseItemRows(p.id!, p.data, purchaseLineCents(p.data), p.at)), (rows) => PurchaseItem.bulkCreate(rows));

    // Audit rows and stock changes in the order the documents were recorded.
    const audits: AuditEntry[] = [];
    const changes: StockChange[] = [];
    for (const entry of this.entries) {
      if (entry.kind === 'stock') changes.push(entry.change);
      else if (entry.kind === 'sale') {
        audits.push(saleAudit(entry.id!, entry.priced, actor));
        changes.push(saleStockChange(entry.id!, entry.priced, locationId, actor, entry.at));
      } else {
        audits.push(purchaseAudit(entry.id!, entry.row!, entry.data, 'purchase.create', actor));
        changes.push(purchaseStockChange(entry.id!, entry.data, locationId, actor, entry.at));
      }
    }
    await insertAll(audits.map(auditRow), (rows) => AuditLog.bulkCreate(rows));
    await applyStockHistory(changes);
  }
}
