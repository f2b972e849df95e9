import { ConnectionError, Op, QueryTypes, literal, type WhereOptions } from 'sequelize';
import { affectedRows, currentTransaction, databaseUnavailable, insertedId, insertIdOf, pipelined, transaction, valuesSql, type PipelinedStatement, type RowId } from '../../db/index.js';
import { batched } from '../../shared/batch.js';
import type { Actor } from '../../shared/actor.js';
import { now, type WriteOptions } from '../../shared/clock.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { AppError, badRequest, conflict, notFound } from '../../shared/errors.js';
import { fromCents, percentOf, sumCents, toCents, toMoney } from '../../shared/money.js';
import { auditStatement, recordAudit, type AuditEntry } from '../audit/audit.service.js';
import { lockedStock, reverseStockChanges, type MovementContext, type StockLine } from '../inventory/inventory.service.js';
import { locationStatement } from '../locations/location.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import type { Settings } from '../settings/settings.schemas.js';
import { dateRange, yearIn } from '../../shared/date-range.js';
import { ensureInvoiceSequence, invoiceNumberStatements } from './invoice-number.js';
import { rollUpSale, rollupZoneStatement, saleRollupStatements } from '../analytics/sales-rollups.js';
import { Sale, SaleItem } from './sale.model.js';
import type { CreateSaleInput, SaleFilters, SaleListQuery } from './sale.schemas.js';

const ITEM_INCLUDE = { model: Product, as: 'product', attributes: ['id', 'name', 'sku'] };

type SaleFields = Pick<Sale, 'id' | 'invoiceNumber' | 'userId' | 'locationId' | 'customerName' | 'customerEmail' | 'status' | 'subtotal' | 'discount' | 'taxRate' | 'tax' | 'total' | 'notes' | 'cancelledAt' | 'createdAt' | 'updatedAt'>;
type SaleItemFields = Pick<SaleItem, 'productId' | 'quantity' | 'unitPrice' | 'lineTotal'> & { product?: Pick<Product, 'name' | 'sku'> };

/** A sale as the API shows it, from its row (a model instance or the values just written) and its lines. */
export function saleDto(sale: SaleFields, items: SaleItemFields[]) {
  return {
    id: sale.id,
    invoiceNumber: sale.invoiceNumber,
    userId: sale.userId,
    locationId: sale.locationId,
    customerName: sale.customerName,
    customerEmail: sale.customerEmail,
    status: sale.status,
    items: items.map((item) => {
      const { product } = item;
      return {
        productId: item.productId,
        productName: product?.name ?? '',
        sku: product?.sku ?? '',
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        lineTotal: item.lineTotal,
      };
    }),
    subtotal: sale.subtotal,
    discount: sale.discount,
    taxRate: sale.taxRate,
    tax: sale.tax,
    total: sale.total,
    notes: sale.notes,
    cancelledAt: sale.cancelledAt,
    createdAt: sale.createdAt,
    updatedAt: sale.updatedAt,
  };
}
export type SaleDto = ReturnType<typeof saleDto>;

type LineProduct = Pick<Product, 'id' | 'name' | 'sku' | 'price' | 'costPrice'>;

/** The products of sales' lines, as a statement for a read pipeline (the rows as productsOf takes them). */
function productsStatement(ids: number[]): PipelinedStatement {
  return { sql: 'SELECT id, name, sku, price, cost_price AS costPrice, archived_at AS archivedAt FROM products WHERE id IN (:ids)', replacements: { ids: [...new Set(ids)] }, type: QueryTypes.SELECT };
}

/** Products by id, as productsStatement read them, archived ones left out. */
function productsById(rows: unknown): Map<number, LineProduct> {
  const found = (rows as (LineProduct & { archivedAt: unknown })[]).filter((p) => !p.archivedAt);
  return new Map(found.map((p) => [Number(p.id), { id: Number(p.id), name: p.name, sku: p.sku, price: toMoney(p.price), costPrice: toMoney(p.costPrice) }]));
}

/** The products of a sale's lines, each existing and not archived; 400 naming the bad lines otherwise. */
function lineProducts(byId: Map<number, LineProduct>, items: CreateSaleInput['items']): Map<number, LineProduct> {
  const bad = items.flatMap((item, index) => (byId.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `product ${item.productId} does not exist or is archived` }]));
  if (bad.length) throw badRequest(`Unknown or archived product: ${bad.map((b) => b.message.split(' ')[1]).join(', ')}`, bad);
  return byId;
}

/** The INSERT of sales' lines, each pointing at its sale by an id known now or the pipeline's (insertedId). */
function saleItemsInsert(items: (Omit<ReturnType<typeof saleItemRows>[number], 'saleId'> & { saleId: RowId })[]): PipelinedStatement {
  const rows = items.map((item) => [item.saleId, item.productId, item.quantity, item.unitPrice, item.unitCost, item.lineTotal, item.createdAt, item.updatedAt]);
  return { sql: `INSERT INTO sale_items (sale_id, product_id, quantity, unit_price, unit_cost, line_total, created_at, updated_at) VALUES ${valuesSql(rows)}`, type: QueryTypes.INSERT };
}

type PricedProduct = Pick<Product, 'id' | 'price' | 'costPrice'>;

/**
 * A sale's lines and totals in integer cents: each line at its own unit price
 * or the product's, the discount (never above the subtotal, else 400), the
 * tax on what is left.
 */
export function priceSale<P extends PricedProduct>(items: { product: P; quantity: number; unitPrice?: number }[], discountAmount: number, taxRate: number) {
  const lines = items.map(({ product, quantity, unitPrice }) => {
    const unitCents = toCents(unitPrice ?? product.price);
    return { product, quantity, unitCents, lineCents: unitCents * quantity };
  });
  const subtotal = sumCents(lines.map((l) => l.lineCents));
  const discount = toCents(discountAmount);
  if (discount > subtotal) throw badRequest('Discount cannot exceed the subtotal', [{ path: 'discount', message: `at most ${fromCents(subtotal)}` }]);
  const tax = percentOf(subtotal - discount, taxRate);
  return { lines, subtotal, discount, tax, total: subtotal - discount + tax };
}
export type PricedSale<P extends PricedProduct = PricedProduct> = ReturnType<typeof priceSale<P>>;

/** The sales row of a priced sale, before its invoice number. */
export function saleRow(priced: PricedSale, taxRate: number, fields: { userId: number | null; locationId: number; customerName?: string; customerEmail?: string; notes?: string }, at: Date) {
  return {
    userId: fields.userId,
    locationId: fields.locationId,
    customerName: fields.customerName || null,
    customerEmail: fields.customerEmail?.toLowerCase() || null,
    notes: fields.notes || null,
    subtotal: fromCents(priced.subtotal),
    discount: fromCents(priced.discount),
    taxRate,
    tax: fromCents(priced.tax),
    total: fromCents(priced.total),
    createdAt: at,
    updatedAt: at,
  };
}

/** The sale_items rows of a priced sale. */
export function saleItemRows(saleId: number, priced: PricedSale, at: Date) {
  return priced.lines.map((l) => ({ saleId, productId: l.product.id, quantity: l.quantity, unitPrice: fromCents(l.unitCents), unitCost: l.product.costPrice, lineTotal: fromCents(l.lineCents), createdAt: at, updatedAt: at }));
}

/** The audit entry of a sale just recorded. */
export function saleAudit<I extends RowId>(saleId: I, priced: PricedSale, actor: Actor): Omit<AuditEntry, 'entityId'> & { entityId: I } {
  const lines = priced.lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, unitPrice: fromCents(l.unitCents) }));
  return { userId: actor.id, action: 'sale.create', entityType: 'sale', entityId: saleId, changes: { total: fromCents(priced.total), lines }, ip: actor.ip };
}

/** A sale's stock change: its lines out of `locationId`, referenced to the sale. */
export function saleStockChange<I extends RowId>(saleId: I, priced: PricedSale, locationId: number, actor: Actor, at: Date): { lines: Required<StockLine>[]; context: Omit<MovementContext, 'referenceId'> & { referenceId: I } } {
  return {
    lines: priced.lines.map((l) => ({ productId: l.product.id, locationId, delta: -l.quantity })),
    context: { reason: 'sale', referenceType: 'sale', referenceId: saleId, userId: actor.id, at },
  };
}

/** The INSERT of a sale's row (its invoice number comes later in the same transaction), naming its id `name` for the pipeline. */
function saleInsert(row: ReturnType<typeof saleRow>, name: string): PipelinedStatement {
  return {
    sql: `INSERT INTO sales (user_id, location_id, customer_name, customer_email, status, subtotal, discount, tax_rate, tax, total, notes, created_at, updated_at)
          VALUES (:userId, :locationId, :customerName, :customerEmail, 'completed', :subtotal, :discount, :taxRate, :tax, :total, :notes, :createdAt, :updatedAt)`,
    replacements: row,
    type: QueryTypes.INSERT,
    names: name,
  };
}

/** A sale to record: what was asked, by whom, when (its invoice year's counter exists). */
interface SaleRequest {
  input: CreateSaleInput;
  actor: Actor;
  at: Date;
  period: string;
  settings: Settings;
}

/** At most this many sales share one transaction. */
const BATCH_MAX = 64;

/**
 * Records a sale atomically: lines priced in integer cents, stock taken through
 * the inventory service (a short line refuses the sale with
 * INSUFFICIENT_STOCK and writes nothing of it), audit row, gap-free invoice
 * number, rollups. Sales that arrive while others are being written are
 * recorded together in the next transaction (group commit, see recordSales);
 * each answer comes after that commit. Inside a caller's transaction the
 * sale is part of it.
 */
export async function createSale(input: CreateSaleInput, actor: Actor, options: WriteOptions = {}): Promise<SaleDto> {
  const at = options.at ?? now();
  const settings = await getSettings();
  const period = yearIn(at, settings.timezone);
  await ensureInvoiceSequence(period);
  const request = { input, actor, at, period, settings };
  if (currentTransaction()) {
    const [outcome] = await recordSales([request]);
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }
  return recordBatched(request);
}

const recordBatched = batched<SaleRequest, SaleDto>(async (requests) => {
  try {
    return await transaction(() => recordSales(requests));
  } catch (err) {
    // The database gone, busy or deadlocked past the retries: no sale of the batch would fare better alone.
    if (requests.length === 1 || err instanceof AppError || err instanceof ConnectionError || databaseUnavailable(err)) throw err;
    // Another database error (a row one sale holds that the database refuses): each sale again on its own, so that trouble stays its own.
    return Promise.all(requests.map((request) => transaction(() => recordSales([request])).then(([outcome]) => outcome, (reason: unknown) => ({ status: 'rejected' as const, reason }))));
  }
}, BATCH_MAX);

/** The refusals a sale can get on its own (bad input, stock, a location): the other sales of its batch go on. */
const refusalOf = (err: unknown) => {
  if (err instanceof AppError && err.status < 500) return { status: 'rejected' as const, reason: err };
  throw err;
};

/**
 * Records sales in the current transaction, in order, each whole or not at
 * all, in four round trips however many they are (start, one read pipeline,
 * one write pipeline, commit). The reads: the rollups' zone (share-locked
 * until the commit), the locations, the products, and their stock with the
 * rows locked (lockedStock). Each sale is then priced and its stock checked
 * in memory against what the ones before it left; a refused one (400, 404,
 * 409) gets its error and writes nothing. The accepted ones go out in one
 * pipeline: each one's row (its id kept in a session variable, insertedId),
 * then for all of them one statement each: the audit rows, the stock totals,
 * levels and ledger rows (StockBook), the lines, the rollups, and per
 * invoice year the counter taking as many numbers as there are sales (in
 * queue order) and the numbers written; then the reads (the numbers drawn,
 * the stock listeners'). No model instances: the answers are built from the
 * values written. The dashboard figures are invalidated by the commit.
 */
async function recordSales(requests: SaleRequest[]): Promise<PromiseSettledResult<SaleDto>[]> {
  const locationKeys = [...new Set(requests.map((r) => r.input.locationId ?? 0))];
  const locations = locationKeys.map((id) => locationStatement(id || undefined));
  const zoneRead = rollupZoneStatement();
  const productIds = requests.flatMap((r) => r.input.items.map((i) => i.productId));
  const locked = lockedStock(productIds);
  const fetched = await pipelined([zoneRead.statement, ...locations.map((l) => l.statement), ...locked.statements, productsStatement(productIds)]);
  const zone = zoneRead.zoneOf(fetched[0]);
  const locationRows = new Map(locationKeys.map((key, i) => [key, fetched[1 + i]]));
  const book = locked.bookOf(fetched.slice(1 + locations.length, 1 + locations.length + locked.statements.length));
  const products = productsById(fetched[fetched.length - 1]);

  const outcomes: PromiseSettledResult<SaleDto>[] = [];
  const accepted: { index: number; sale: ReturnType<typeof saleParts> }[] = [];
  for (const [index, { input, actor, at, period, settings }] of requests.entries()) {
    try {
      const location = locations[locationKeys.indexOf(input.locationId ?? 0)].locationOf(locationRows.get(input.locationId ?? 0));
      const byId = lineProducts(products, input.items);
      const priced = priceSale(input.items.map((item) => ({ ...item, product: byId.get(item.productId)! })), input.discount ?? 0, settings.taxRate);
      const row = saleRow(priced, settings.taxRate, { ...input, userId: actor.id, locationId: location.id }, at);
      const sale = saleParts(`sale${accepted.length}`, row, priced, actor, settings.invoicePrefix, period);
      await book.take(sale.stock.lines, sale.stock.context);
      accepted.push({ index, sale });
    } catch (err) {
      outcomes[index] = refusalOf(err);
    }
  }
  if (!accepted.length) return outcomes;
  const sales = accepted.map((a) => a.sale);

  // Each sale's row, then every sale's audit row, stock, lines; last the rows every sale shares, so they are
  // locked the shortest: the days' rollups, then the invoice counters.
  const heads = sales.map((sale) => saleInsert(sale.row, sale.name));
  const audit = auditStatement(...sales.map((sale) => sale.audit));
  const stock = book.statements();
  const lines = saleItemsInsert(sales.flatMap((sale) => sale.items.map((item) => ({ ...item, saleId: sale.id }))));
  const rollups = saleRollupStatements(sales.map((sale) => sale.rolled), zone);
  const series = new Map<string, typeof sales>();
  for (const sale of sales) series.set(`${sale.period} ${sale.prefix}`, [...(series.get(`${sale.period} ${sale.prefix}`) ?? []), sale]);
  const invoices = [...series.keys()].sort().map((key) => {
    const numbered = series.get(key)!;
    return invoiceNumberStatements(numbered.map((sale) => sale.id), numbered[0].prefix, numbered[0].period);
  });
  const writes = [...heads, audit, ...stock.writes, lines, ...rollups, ...invoices.flatMap((i) => i.writes)];
  const reads = [...invoices.flatMap((i) => i.reads), ...stock.reads];
  const results = await pipelined([...writes, ...reads]);

  let at = heads.length;
  const ids = results.slice(0, at).map(insertIdOf);
  const itemCount = sales.reduce((n, sale) => n + sale.items.length, 0);
  if (affectedRows(results[at++]) !== sales.length) throw new Error('the audit rows of a batch of sales were not written');
  const stockResults = results.slice(at, (at += stock.writes.length));
  if (affectedRows(results[at++]) !== itemCount) throw new Error('the lines of a batch of sales were not written');
  if (results.slice(at, (at += rollups.length)).some((r) => affectedRows(r) < 1)) throw new Error('the rollups of a batch of sales were not written');
  let readAt = writes.length;
  const numbers = new Map<number, string>();
  for (const invoice of invoices) {
    const drawn = invoice.numbersOf(results.slice(at, (at += invoice.writes.length)), results.slice(readAt, (readAt += invoice.reads.length)));
    for (const [id, number] of drawn) numbers.set(id, number);
  }
  await stock.settle(stockResults, results.slice(readAt));
  for (const [i, { index, sale }] of accepted.entries()) {
    const invoiceNumber = numbers.get(ids[i]);
    if (!invoiceNumber) throw new Error(`sale ${ids[i]}: no invoice number was drawn`);
    const written = { ...sale.row, id: ids[i], invoiceNumber, status: 'completed' as const, cancelledAt: null };
    outcomes[index] = { status: 'fulfilled', value: saleDto(written, sale.items.map((item, l) => ({ ...item, product: sale.priced.lines[l].product }))) };
  }
  return outcomes;
}

/**
 * What one priced sale writes, before it is written: its row (its id named
 * `name` in the pipeline), audit entry, stock change, lines, what the
 * rollups take of it and its invoice series.
 */
function saleParts(name: string, row: ReturnType<typeof saleRow>, priced: PricedSale<LineProduct>, actor: Actor, prefix: string, period: string) {
  const at = row.createdAt;
  const id = insertedId(name);
  // The lines' sale is the pipeline's id (saleItemsInsert): their rows' own saleId is not written.
  const items = saleItemRows(0, priced, at);
  return {
    name,
    id,
    row,
    priced,
    items,
    period,
    prefix,
    audit: saleAudit(id, priced, actor),
    stock: saleStockChange(id, priced, row.locationId, actor, at),
    rolled: { at, subtotal: row.subtotal, tax: row.tax, total: row.total, lines: items },
  };
}

export async function getSale(id: number): Promise<SaleDto> {
  const sale = await Sale.findByPk(id);
  if (!sale) throw notFound('Sale');
  const items = await SaleItem.findAll({ where: { saleId: id }, include: [ITEM_INCLUDE], order: [['id', 'ASC']] });
  return saleDto(sale, items);
}

/** The WHERE clause shared by the list and the exports. */
export async function saleWhere(filters: SaleFilters): Promise<WhereOptions<Sale>> {
  const { timezone } = await getSettings();
  const where: Record<string | symbol, unknown> = {};
  const created = dateRange(filters.from, filters.to, timezone);
  if (created) where.createdAt = created;
  if (filters.status) where.status = filters.status;
  if (filters.userId) where.userId = filters.userId;
  if (filters.locationId) where.locationId = filters.locationId;
  if (filters.productId) where.id = { [Op.in]: literal(`(SELECT sale_id FROM sale_items WHERE product_id = ${Number(filters.productId)})`) };
  if (filters.search) {
    const like = `%${filters.search}%`;
    where[Op.or] = [{ invoiceNumber: { [Op.like]: like } }, { customerName: { [Op.like]: like } }, { customerEmail: { [Op.like]: like } }];
  }
  return where as WhereOptions<Sale>;
}

export async function listSales(query: SaleListQuery): Promise<Page<SaleDto>> {
  const { rows, count } = await Sale.findAndCountAll({
    where: await saleWhere(query),
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC']],
    limit: query.limit,
    offset: offsetOf(query),
  });
  const items = rows.length ? await SaleItem.findAll({ where: { saleId: rows.map((r) => r.id) }, include: [ITEM_INCLUDE], order: [['id', 'ASC']] }) : [];
  return { data: rows.map((sale) => saleDto(sale, items.filter((i) => i.saleId === sale.id))), page: query.page, limit: query.limit, total: count };
}

/** Cancels a completed sale once (a guarded status change) and puts its stock back through the ledger. */
export async function cancelSale(id: number, actor: Actor, options: WriteOptions = {}): Promise<SaleDto> {
  return transaction(async () => {
    const existing = await Sale.findByPk(id, { attributes: ['id'] });
    if (!existing) throw notFound('Sale');
    const cancelledAt = options.at ?? now();
    const [changed] = await Sale.update({ status: 'cancelled', cancelledAt }, { where: { id, status: 'completed' } });
    if (changed !== 1) throw conflict('The sale is already cancelled');
    await rollUpSale(id, -1);
    // Back where it was sold, whatever the default location is now.
    await reverseStockChanges({ type: 'sale', id, reason: 'sale' }, { reason: 'sale_cancel', referenceType: 'sale', referenceId: id, userId: actor.id, at: cancelledAt });
    await recordAudit({ userId: actor.id, action: 'sale.cancel', entityType: 'sale', entityId: id, changes: { status: { from: 'completed', to: 'cancelled' } }, ip: actor.ip });
    return getSale(id);
  });
}
