import { db, sqlDate, transaction } from '../src/db/index.js';
import { Product } from '../src/modules/products/product.model.js';
import { formatSku, setSkuSequence, skuPrefix } from '../src/modules/products/sku.js';
import { Sale } from '../src/modules/sales/sale.model.js';
import { now as clockNow } from '../src/shared/clock.js';
import { defaultLocation } from '../src/modules/locations/location.service.js';
import { yearIn } from '../src/shared/date-range.js';
import { formatInvoiceNumber, setInvoiceSequence } from '../src/modules/sales/invoice-number.js';
import { Setting } from '../src/modules/settings/setting.model.js';
import { getSettings, clearSettingsCache } from '../src/modules/settings/settings.service.js';
import { User } from '../src/modules/users/user.model.js';
import { fromCents, percentOf } from '../src/shared/money.js';
import { BRANDS, CATEGORY_NOUNS, FIRST_NAMES, LAST_NAMES, QUALITIES, SUPPLIER_WORDS, USES } from './data/catalogue-words.js';
import { randomFor } from './data/random.js';
import { rebuildSalesRollups } from '../src/modules/analytics/sales-rollups.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 1000;
/** Sales per transaction: big enough for bulk speed, small enough to keep the undo log modest. */
const SALES_PER_CHUNK = 5000;

export interface LargeSeedOptions {
  products: number;
  sales: number;
  /** Days of history ending now (default two years). */
  days?: number;
  suppliers?: number;
  now?: Date;
  onProgress?: (stage: 'catalogue' | 'history' | 'stock', done: number, total: number) => void;
}

export interface LargeSeedResult {
  suppliers: number;
  products: number;
  sales: number;
  saleLines: number;
  purchases: number;
  movements: number;
  ms: number;
}

type Value = string | number | Date | null;

function sqlValue(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return `'${sqlDate(value)}'`;
  return db().escape(value);
}

/** Collects rows of one table and writes them as multi-row INSERTs. */
class BulkInsert {
  private rows: string[] = [];
  count = 0;
  constructor(
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  add(values: Value[]): void {
    this.rows.push(`(${values.map(sqlValue).join(',')})`);
    this.count++;
  }

  async flush(): Promise<void> {
    for (let i = 0; i < this.rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = this.rows.slice(i, i + ROWS_PER_STATEMENT);
      await db().query(`INSERT INTO ${this.table} (${this.columns.join(',')}) VALUES ${chunk.join(',')}`);
    }
    this.rows = [];
  }
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** Index of the first cumulative weight above `x` (binary search). */
function sampleIndex(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sales per day: quieter weekends and a business that grows over the period; sums to `sales` exactly. */
function salesPerDay(sales: number, days: number, start: Date): number[] {
  const weights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(start.getTime() + d * DAY).getUTCDay();
    return (weekday === 0 ? 0.4 : weekday === 6 ? 0.7 : 1) * (0.7 + (0.6 * d) / days);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / total) * sales));
  let missing = sales - counts.reduce((a, b) => a + b, 0);
  for (let d = days - 1; missing > 0; d = (d - 1 + days) % days, missing--) counts[d]++;
  return counts;
}

/**
 * A large, realistic data set written with multi-row INSERTs: suppliers, a
 * catalogue with skewed popularity, and `sales` sales over `days` days. Stock
 * is simulated product by product, so every sale line has stock (a received
 * purchase restocks first when needed), every change has its ledger row with
 * the balance after it, and the final stock equals the ledger's last balance.
 * Invoice and SKU counters are left where the data ends. Needs a database
 * without products or sales.
 */
export async function seedLargeData(options: LargeSeedOptions): Promise<LargeSeedResult> {
  const started = Date.now();
  if ((await Product.count()) > 0 || (await Sale.count()) > 0) {
    throw new Error('The database already has products or sales: seed the large data set into an empty database');
  }
  const now = options.now ?? clockNow();
  const days = Math.max(1, options.days ?? 730);
  const start = new Date(Math.floor((now.getTime() - days * DAY) / DAY) * DAY);
  const productCount = Math.max(1, options.products);
  const supplierCount = Math.max(1, options.suppliers ?? Math.min(500, Math.ceil(productCount / 200)));
  const random = randomFor(`stockpilot-large-${productCount}-${options.sales}`);
  const progress = options.onProgress ?? (() => undefined);

  await transaction(async () => {
    await Setting.findOrCreate({ where: { key: 'taxRate' }, defaults: { key: 'taxRate', value: 8.25 }});
    await Setting.findOrCreate({ where: { key: 'companyName' }, defaults: { key: 'companyName', value: 'Acme Wholesale' }});
  });
  clearSettingsCache();
  const settings = await getSettings();
  const admin = await User.findOne({ where: { role: 'admin' }, order: [['id', 'ASC']], attributes: ['id'] });
  // The whole history happens at the default location.
  const mainId = (await defaultLocation()).id;
  const userId = admin?.id ?? null;
  const stamp = (at: Date) => [at, at];

  // Catalogue: suppliers and products with explicit ids (the tables are empty).
  const suppliers = new BulkInsert('suppliers', ['id', 'name', 'contact_name', 'email', 'phone', 'lead_time_days', 'created_at', 'updated_at']);
  const supplierLead: number[] = [];
  const supplierIdBase = Number((await db().query('SELECT COALESCE(MAX(id), 0) AS m FROM suppliers', { plain: true }))?.m ?? 0);
  for (let s = 0; s < supplierCount; s++) {
    const lead = 2 + Math.floor(random() * 20);
    supplierLead.push(lead);
    const contact = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
    suppliers.add([supplierIdBase + s + 1, `${pick(random, LAST_NAMES)} ${pick(random, SUPPLIER_WORDS)} ${s + 1}`, contact, `orders${s + 1}@supplier.example`, `+1 555 ${String(1000 + s).slice(-4)}`, lead, ...stamp(start)]);
  }

  const categories = Object.keys(CATEGORY_NOUNS);
  const skuCounters = new Map<string, number>();
  const products = new BulkInsert('products', [
    'id', 'sku', 'name', 'description', 'category', 'price', 'cost_price', 'stock', 'low_stock_threshold', 'reorder_quantity', 'supplier_id', 'barcode', 'unit', 'created_at', 'updated_at',
  ]);
  const priceCents = new Int32Array(productCount);
  const costCents = new Int32Array(productCount);
  const reorderQty = new Int32Array(productCount);
  const supplierOf = new Int32Array(productCount);
  // Zipf-like popularity over a shuffled order, so the best sellers are spread over the catalogue.
  const rank = Array.from({ length: productCount }, (_, i) => i);
  for (let i = productCount - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const cumulative = new Float64Array(productCount);
  let weightSum = 0;
  for (let p = 0; p < productCount; p++) {
    weightSum += 1 / (rank[p] + 1) ** 0.9;
    cumulative[p] = weightSum;
  }
  const avgLines = 1.55;
  const avgQty = 2.4;
  const unitsTotal = options.sales * avgLines * avgQty;
  const dailyDemand = (p: number) => (((p === 0 ? cumulative[0] : cumulative[p] - cumulative[p - 1]) / weightSum) * unitsTotal) / days;

  await transaction(async () => {
    await suppliers.flush();
    for (let p = 0; p < productCount; p++) {
      const category = categories[Math.floor(random() * categories.length)];
      const noun = pick(random, CATEGORY_NOUNS[category]);
      const prefix = skuPrefix(category);
      const number = (skuCounters.get(prefix) ?? 0) + 1;
      skuCounters.set(prefix, number);
      const price = Math.round((2 + random() ** 2 * 400) * 100) - 1;
      priceCents[p] = price;
      costCents[p] = Math.round(price * (0.4 + random() * 0.3));
      const demand = dailyDemand(p);
      reorderQty[p] = Math.max(10, Math.ceil(demand * 30));
      supplierOf[p] = supplierIdBase + 1 + Math.floor(random() * supplierCount);
      const model = `${String.fromCharCode(65 + Math.floor(random() * 26))}${100 + Math.floor(random() * 900)}`;
      const quality = pick(random, QUALITIES);
      products.add([
        p + 1,
        formatSku(prefix, number),
        `${pick(random, BRANDS)} ${quality} ${noun} ${model}`,
        `${quality} ${noun.toLowerCase()} for ${pick(random, USES)}.`,
        category,
        fromCents(price),
        fromCents(costCents[p]),
        0,
        5 + Math.floor(random() * 16),
        reorderQty[p],
        supplierOf[p],
        String(4_000_000_000_000 + p),
        'pcs',
        ...stamp(start),
      ]);
      if (products.count % 10_000 === 0) progress('catalogue', p + 1, productCount);
    }
    await products.flush();
    progress('catalogue', productCount, productCount);
  });

  // History: opening stock, then day by day sales (restocked by received purchases when short).
  const stock = new Int32Array(productCount);
  const salesTable = new BulkInsert('sales', ['id', 'invoice_number', 'user_id', 'location_id', 'customer_name', 'status', 'subtotal', 'discount', 'tax_rate', 'tax', 'total', 'cancelled_at', 'created_at', 'updated_at']);
  const saleItems = new BulkInsert('sale_items', ['sale_id', 'product_id', 'quantity', 'unit_price', 'unit_cost', 'line_total', 'created_at', 'updated_at']);
  const purchases = new BulkInsert('purchases', ['id', 'supplier_id', 'user_id', 'location_id', 'reference', 'status', 'total_cost', 'expected_at', 'received_at', 'created_at', 'updated_at']);
  const purchaseItems = new BulkInsert('purchase_items', ['purchase_id', 'product_id', 'quantity', 'received_quantity', 'unit_cost', 'line_total', 'created_at', 'updated_at']);
  const movements = new BulkInsert('stock_movements', ['product_id', 'location_id', 'delta', 'balance_after', 'reason', 'note', 'reference_type', 'reference_id', 'user_id', 'created_at', 'updated_at']);
  const written = { purchases: 0, movements: 0, saleLines: 0 };
  const flushAll = () =>
    transaction(async () => {
      for (const table of [purchases, purchaseItems, salesTable, saleItems, movements]) await table.flush();
    });

  for (let p = 0; p < productCount; p++) {
    stock[p] = Math.max(5, Math.ceil(dailyDemand(p) * 21) + Math.floor(random() * 10));
    movements.add([p + 1, mainId, stock[p], stock[p], 'initial', 'Opening stock', 'product', p + 1, userId, ...stamp(start)]);
  }
  await flushAll();

  let purchaseId = 0;
  const restock = (p: number, needed: number, at: Date) => {
    const quantity = Math.max(reorderQty[p], needed);
    const orderedAt = new Date(at.getTime() - supplierLead[supplierOf[p] - supplierIdBase - 1] * DAY);
    const receivedAt = new Date(at.getTime() - 60_000);
    const total = fromCents(costCents[p] * quantity);
    purchaseId++;
    purchases.add([purchaseId, supplierOf[p], userId, mainId, `PO-${purchaseId}`, 'received', total, orderedAt, receivedAt, orderedAt, receivedAt]);
    purchaseItems.add([purchaseId, p + 1, quantity, quantity, fromCents(costCents[p]), total, orderedAt, receivedAt]);
    stock[p] += quantity;
    movements.add([p + 1, mainId, quantity, stock[p], 'purchase', null, 'purchase', purchaseId, userId, receivedAt, receivedAt]);
  };

  const perDay = salesPerDay(options.sales, days, start);
  const invoiceCounters = new Map<string, number>();
  let saleId = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = start.getTime() + d * DAY + 8 * HOUR;
    for (let k = 0; k < perDay[d]; k++) {
      const at = new Date(dayStart + Math.floor(((k + random()) / perDay[d]) * 12 * HOUR));
      saleId++;
      const lineCount = random() < 0.6 ? 1 : random() < 0.6 ? 2 : 3;
      const chosen = new Set<number>();
      for (let l = 0; l < lineCount; l++) chosen.add(sampleIndex(cumulative, random() * weightSum));
      const cancelled = random() < 0.01;
      const cancelledAt = cancelled ? new Date(at.getTime() + 1000) : null;
      let subtotal = 0;
      const lines: [number, number][] = [];
      for (const p of chosen) {
        const quantity = 1 + Math.floor(random() ** 2 * 6);
        lines.push([p, quantity]);
        if (stock[p] < quantity) restock(p, quantity, at);
        stock[p] -= quantity;
        const line = priceCents[p] * quantity;
        subtotal += line;
        saleItems.add([saleId, p + 1, quantity, fromCents(priceCents[p]), fromCents(costCents[p]), fromCents(line), at, at]);
        movements.add([p + 1, mainId, -quantity, stock[p], 'sale', null, 'sale', saleId, userId, at, at]);
        written.saleLines++;
      }
      if (cancelledAt) {
        for (const [p, quantity] of lines) {
          stock[p] += quantity;
          movements.add([p + 1, mainId, quantity, stock[p], 'sale_cancel', null, 'sale', saleId, userId, cancelledAt, cancelledAt]);
        }
      }
      const discount = random() < 0.05 ? Math.round(subtotal * 0.1) : 0;
      const tax = percentOf(subtotal - discount, settings.taxRate);
      const period = yearIn(at, settings.timezone);
      const invoice = (invoiceCounters.get(period) ?? 0) + 1;
      invoiceCounters.set(period, invoice);
      salesTable.add([
        saleId,
        formatInvoiceNumber(settings.invoicePrefix, period, invoice),
        userId,
        mainId,
        random() < 0.3 ? `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}` : null,
        cancelled ? 'cancelled' : 'completed',
        fromCents(subtotal),
        fromCents(discount),
        settings.taxRate,
        fromCents(tax),
        fromCents(subtotal - discount + tax),
        cancelledAt,
        at,
        cancelledAt ?? at,
      ]);
      if (saleId % SALES_PER_CHUNK === 0) {
        await flushAll();
        progress('history', saleId, options.sales);
      }
    }
  }
  await flushAll();
  progress('history', options.sales, options.sales);
  written.purchases = purchaseId;
  written.movements = movements.count;

  // Final stock (the last ledger balance) and the counters the next SKU and invoice continue from.
  await transaction(async () => {
    for (let first = 0; first < productCount; first += ROWS_PER_STATEMENT) {
      const last = Math.min(productCount, first + ROWS_PER_STATEMENT);
      const cases = [];
      for (let p = first; p < last; p++) cases.push(`WHEN ${p + 1} THEN ${stock[p]}`);
      await db().query(`UPDATE products SET stock = CASE id ${cases.join(' ')} END WHERE id BETWEEN ${first + 1} AND ${last}`);
      const levels = [];
      for (let p = first; p < last; p++) levels.push(`(${p + 1}, ${mainId}, ${stock[p]}, ${sqlValue(now)}, ${sqlValue(now)})`);
      await db().query(`INSERT INTO stock_levels (product_id, location_id, quantity, created_at, updated_at) VALUES ${levels.join(',')}`);
      progress('stock', last, productCount);
    }
    for (const [prefix, value] of skuCounters) await setSkuSequence(prefix, value);
    for (const [year, value] of invoiceCounters) await setInvoiceSequence(year, value);
  });
  // Written past the services: the sales rollups are built from what was written.
  await rebuildSalesRollups(settings.timezone);

  return { suppliers: supplierCount, products: productCount, sales: saleId, saleLines: written.saleLines, purchases: written.purchases, movements: written.movements, ms: Date.now() - started };
}
