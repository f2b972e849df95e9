import { Op, QueryTypes, literal, type WhereOptions } from 'sequelize';
import { affectedRows, afterPrevious, insertedId, insertIdOf, isSqlite, pipelined, rowIdSql, transaction, type PipelinedStatement, type RowId } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import { now, type WriteOptions } from '../../shared/clock.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { fromCents, percentOf, sumCents, toCents, toMoney } from '../../shared/money.js';
import { auditStatement, recordAudit, type AuditEntry } from '../audit/audit.service.js';
import { reverseStockChanges, stockChangeStatements, type MovementContext, type StockLine } from '../inventory/inventory.service.js';
import { locationStatement } from '../locations/location.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
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

/** The products of a sale's lines, as a statement for its first pipeline; productsOf gives them by id, each existing and not archived, 400 naming the bad lines otherwise. */
function productsStatement(items: CreateSaleInput['items']): { statement: PipelinedStatement; productsOf(rows: unknown): Map<number, LineProduct> } {
  const ids = [...new Set(items.map((i) => i.productId))];
  return {
    statement: { sql: 'SELECT id, name, sku, price, cost_price AS costPrice, archived_at AS archivedAt FROM products WHERE id IN (:ids)', replacements: { ids }, type: QueryTypes.SELECT },
    productsOf(rows) {
      const found = (rows as (LineProduct & { archivedAt: unknown })[]).filter((p) => !p.archivedAt);
      const byId = new Map(found.map((p) => [Number(p.id), { id: Number(p.id), name: p.name, sku: p.sku, price: toMoney(p.price), costPrice: toMoney(p.costPrice) }]));
      const bad = items.flatMap((item, index) => (byId.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `product ${item.productId} does not exist or is archived` }]));
      if (bad.length) throw badRequest(`Unknown or archived product: ${bad.map((b) => b.message.split(' ')[1]).join(', ')}`, bad);
      return byId;
    },
  };
}

/**
 * The INSERT of a sale's lines, for the sale's pipeline after its stock
 * change: the rows as constants, guarded on the write before it (an
 * `INSERT ... SELECT`, which can be; `VALUES` cannot), the sale's id maybe
 * the pipeline's (insertedId).
 */
function saleItemsInsert(saleId: RowId, items: ReturnType<typeof saleItemRows>): PipelinedStatement {
  const columns = ['sale_id', 'product_id', 'quantity', 'unit_price', 'unit_cost', 'line_total', 'created_at', 'updated_at'];
  const replacements: Record<string, unknown> = {};
  const rows = items.map((item, i) => {
    const values = [item.productId, item.quantity, item.unitPrice, item.unitCost, item.lineTotal, item.createdAt, item.updatedAt];
    values.forEach((value, c) => (replacements[`v${i}_${c}`] = value));
    const named = (sql: string, c: number) => (i === 0 ? `${sql} AS ${columns[c]}` : sql);
    return `SELECT ${[rowIdSql(saleId), ...values.map((_, c) => `:v${i}_${c}`)].map(named).join(', ')}`;
  });
  const select = rows.length === 1 ? `${rows[0]}${isSqlite() ? '' : ' FROM DUAL'} WHERE ${afterPrevious()}` : `SELECT * FROM (${rows.join(' UNION ALL ')}) l WHERE ${afterPrevious()}`;
  return { sql: `INSERT INTO sale_items (${columns.join(', ')}) ${select}`, replacements, type: QueryTypes.INSERT };
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
export function saleStockChange<I extends RowId>(saleId: I, priced: PricedSale, locationId: number, actor: Actor, at: Date): { lines: StockLine[]; context: Omit<MovementContext, 'referenceId'> & { referenceId: I } } {
  return {
    lines: priced.lines.map((l) => ({ productId: l.product.id, locationId, delta: -l.quantity })),
    context: { reason: 'sale', referenceType: 'sale', referenceId: saleId, userId: actor.id, at },
  };
}

/** The INSERT of a sale's row (its invoice number comes later in the same transaction), naming its id `sale` for the pipeline. */
function saleInsert(row: ReturnType<typeof saleRow>): PipelinedStatement {
  return {
    sql: `INSERT INTO sales (user_id, location_id, customer_name, customer_email, status, subtotal, discount, tax_rate, tax, total, notes, created_at, updated_at)
          VALUES (:userId, :locationId, :customerName, :customerEmail, 'completed', :subtotal, :discount, :taxRate, :tax, :total, :notes, :createdAt, :updatedAt)`,
    replacements: row,
    type: QueryTypes.INSERT,
    names: 'sale',
  };
}

/**
 * Records a sale atomically: lines priced in integer cents, stock taken through
 * the inventory service (any short line rolls everything back with
 * INSUFFICIENT_STOCK), audit row, and the invoice number drawn last. One read
 * and one write pipeline: the sale row, its audit row, the stock change
 * (guarded totals and levels, ledger rows), its lines, their rollups and the
 * invoice number, each pointing at the sale by the id its INSERT just took
 * and guarded on the write before it, then the reads (the number drawn, the
 * stock listeners'), so the hot rows (the product's stock, the invoice
 * counter) stay locked from their update to the commit with no round trip in
 * between. No model instances: the answer is built from the values written.
 * The dashboard figures are invalidated by the stock change's commit.
 */
export async function createSale(input: CreateSaleInput, actor: Actor, options: WriteOptions = {}): Promise<SaleDto> {
  const at = options.at ?? now();
  const settings = await getSettings();
  const period = yearIn(at, settings.timezone);
  await ensureInvoiceSequence(period);

  return transaction(async () => {
    // What the sale reads, in one round trip: the rollups' zone (share-locked until the commit), the location, the products.
    const reads = [rollupZoneStatement(), locationStatement(input.locationId), productsStatement(input.items)] as const;
    const [zoneRows, locationRows, productRows] = await pipelined(reads.map((r) => r.statement));
    const zone = reads[0].zoneOf(zoneRows);
    const location = reads[1].locationOf(locationRows);
    const products = reads[2].productsOf(productRows);
    const priced = priceSale(input.items.map((item) => ({ ...item, product: products.get(item.productId)! })), input.discount ?? 0, settings.taxRate);
    const row = saleRow(priced, settings.taxRate, { ...input, userId: actor.id, locationId: location.id }, at);
    // Stock right after the sale row: the guarded update takes the product row's exclusive lock before the
    // sale_items foreign-key checks take shared ones (shared-then-exclusive on MariaDB deadlocks racing sales).
    const saleId = insertedId('sale');
    const change = saleStockChange(saleId, priced, location.id, actor, at);
    const stock = await stockChangeStatements(change.lines, change.context);
    // The lines' sale is the pipeline's id (saleItemsInsert): their rows' own saleId is not written.
    const items = saleItemRows(0, priced, at);
    const rollups = saleRollupStatements({ subtotal: row.subtotal, tax: row.tax, total: row.total, lines: items }, at, zone);
    const invoice = invoiceNumberStatements(saleId, settings.invoicePrefix, period);
    const head = [saleInsert(row), auditStatement(saleAudit(saleId, priced, actor))];
    const stockWrites = stock.statements.slice(0, stock.writes);
    const results = await pipelined([...head, ...stockWrites, saleItemsInsert(saleId, items), ...rollups, ...invoice.statements, ...stock.statements.slice(stock.writes)]);
    const id = insertIdOf(results[0]);
    let next = head.length + stockWrites.length;
    const [inserted, ...rolled] = results.slice(next, (next += 1 + rollups.length));
    const drawn = results.slice(next, (next += invoice.statements.length));
    await stock.settle([...results.slice(head.length, head.length + stockWrites.length), ...results.slice(next)]);
    if (affectedRows(inserted) !== items.length || rolled.some((r) => affectedRows(r) < 1)) throw new Error(`sale ${id}: its lines or rollups were not written`);
    const invoiceNumber = invoice.numberOf(drawn);
    const sale = { ...row, id, invoiceNumber, status: 'completed' as const, cancelledAt: null };
    return saleDto(sale, items.map((item, i) => ({ ...item, product: priced.lines[i].product })));
  });
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
