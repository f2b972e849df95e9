import { Op, literal, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import { now, type WriteOptions } from '../../shared/clock.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { fromCents, sumCents, toCents } from '../../shared/money.js';
import { recordAudit, type AuditEntry } from '../audit/audit.service.js';
import { applyStockChanges, type StockChange } from '../inventory/inventory.service.js';
import { resolveLocation } from '../locations/location.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { dateRange } from '../../shared/date-range.js';
import { Purchase, PurchaseItem } from './purchase.model.js';
import type { CreatePurchaseInput, CreateShipmentInput, PurchaseFilters, PurchaseListQuery, ReceivePurchaseInput } from './purchase.schemas.js';

type ItemWithProduct = PurchaseItem & { product?: Product };
const ITEM_INCLUDE = { model: Product, as: 'product', attributes: ['id', 'name', 'sku'] };

export function purchaseDto(purchase: Purchase & { supplier?: Supplier | null }, items: ItemWithProduct[]) {
  return {
    id: purchase.id,
    supplierId: purchase.supplierId,
    supplierName: purchase.supplier?.name ?? null,
    userId: purchase.userId,
    locationId: purchase.locationId,
    reference: purchase.reference,
    status: purchase.status,
    totalCost: purchase.totalCost,
    items: items.map((i) => ({
      productId: i.productId,
      productName: i.product?.name ?? '',
      sku: i.product?.sku ?? '',
      quantity: i.quantity,
      receivedQuantity: i.receivedQuantity,
      unitCost: i.unitCost,
      lineTotal: i.lineTotal,
    })),
    expectedAt: purchase.expectedAt,
    receivedAt: purchase.receivedAt,
    cancelledAt: purchase.cancelledAt,
    notes: purchase.notes,
    createdAt: purchase.createdAt,
    updatedAt: purchase.updatedAt,
  };
}
export type PurchaseDto = ReturnType<typeof purchaseDto>;

async function checkedProducts(items: { productId: number }[]): Promise<Map<number, Product>> {
  const products = await Product.findAll({ where: { id: items.map((i) => i.productId) }, attributes: ['id', 'name', 'sku', 'costPrice', 'supplierId', 'archivedAt'] });
  const byId = new Map(products.filter((p) => !p.archivedAt).map((p) => [p.id, p]));
  const bad = items.flatMap((item, index) => (byId.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `product ${item.productId} does not exist or is archived` }]));
  if (bad.length) throw badRequest('Unknown or archived product in items', bad);
  return byId;
}

async function checkedSupplier(supplierId: number | null | undefined): Promise<Supplier | null> {
  if (!supplierId) return null;
  const supplier = await Supplier.findByPk(supplierId);
  if (!supplier) throw badRequest(`Supplier ${supplierId} does not exist`, [{ path: 'supplierId', message: 'unknown supplier' }]);
  return supplier;
}

export interface NewPurchase<P extends Pick<Product, 'id'> = Product> {
  supplierId: number | null;
  lines: { product: P; quantity: number; unitCost: number }[];
  received: boolean;
  /** Where received goods arrive (the default location when absent). */
  locationId?: number;
  expectedAt?: string;
  reference?: string;
  notes?: string;
}

/** The purchases row of a new purchase (its lines' cost in integer cents). */
export function purchaseRow(data: NewPurchase<Pick<Product, 'id'>>, lineCents: number[], userId: number | null, locationId: number, at: Date) {
  return {
    supplierId: data.supplierId,
    userId,
    locationId,
    reference: data.reference || null,
    status: data.received ? ('received' as const) : ('ordered' as const),
    totalCost: fromCents(sumCents(lineCents)),
    expectedAt: data.expectedAt ? new Date(data.expectedAt) : null,
    receivedAt: data.received ? at : null,
    notes: data.notes || null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Each line's cost in integer cents. */
export function purchaseLineCents(data: Pick<NewPurchase<Pick<Product, 'id'>>, 'lines'>): number[] {
  return data.lines.map((l) => toCents(l.unitCost) * l.quantity);
}

/** The purchase_items rows of a new purchase. */
export function purchaseItemRows(purchaseId: number, data: NewPurchase<Pick<Product, 'id'>>, lineCents: number[], at: Date) {
  return data.lines.map((l, i) => ({ purchaseId, productId: l.product.id, quantity: l.quantity, receivedQuantity: data.received ? l.quantity : 0, unitCost: l.unitCost, lineTotal: fromCents(lineCents[i]), createdAt: at, updatedAt: at }));
}

/** What a received purchase adds to stock at `locationId` (no lines when it is only ordered). */
export function purchaseStockChange(purchaseId: number, data: NewPurchase<Pick<Product, 'id'>>, locationId: number, actor: Actor, at: Date): StockChange {
  return {
    lines: data.received ? data.lines.map((l) => ({ productId: l.product.id, locationId, delta: l.quantity })) : [],
    context: { reason: 'purchase', referenceType: 'purchase', referenceId: purchaseId, userId: actor.id, at },
  };
}

/** The audit entry of a new purchase (`action`: purchase.create, shipment.create). */
export function purchaseAudit(purchaseId: number, row: ReturnType<typeof purchaseRow>, data: NewPurchase<Pick<Product, 'id'>>, action: string, actor: Actor): AuditEntry {
  const lines = data.lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, unitCost: l.unitCost }));
  return { userId: actor.id, action, entityType: 'purchase', entityId: purchaseId, changes: { status: row.status, supplierId: row.supplierId, totalCost: row.totalCost, lines }, ip: actor.ip };
}

async function insertPurchase(data: NewPurchase, action: string, actor: Actor, at: Date): Promise<PurchaseDto> {
  const supplier = await checkedSupplier(data.supplierId);
  const lineCents = purchaseLineCents(data);
  const location = await resolveLocation(data.locationId);
  const row = purchaseRow({ ...data, supplierId: supplier?.id ?? null }, lineCents, actor.id, location.id, at);
  const purchase = await Purchase.create(row, { silent: true });
  // Stock before the lines: the product row's exclusive lock comes before the foreign-key checks' shared ones (no MariaDB deadlock).
  const stock = purchaseStockChange(purchase.id, data, location.id, actor, at);
  if (stock.lines.length) await applyStockChanges(stock.lines, stock.context);
  const items: ItemWithProduct[] = await PurchaseItem.bulkCreate(purchaseItemRows(purchase.id, data, lineCents, at));
  items.forEach((item, i) => (item.product = data.lines[i].product));
  await recordAudit(purchaseAudit(purchase.id, row, data, action, actor));
  return purchaseDto(Object.assign(purchase, { supplier }), items);
}

/** A purchase order as the input gives it, unit costs to the cent, with the products of its lines. */
export function newPurchase<P extends Pick<Product, 'id'>>(input: CreatePurchaseInput, products: Map<number, P>): NewPurchase<P> {
  const lines = input.items.map((i) => ({ product: products.get(i.productId)!, quantity: i.quantity, unitCost: fromCents(toCents(i.unitCost)) }));
  return { supplierId: input.supplierId, lines, received: input.status === 'received', locationId: input.locationId, expectedAt: input.expectedAt, reference: input.reference, notes: input.notes };
}

/** A purchase order; stock rises only when it is received (now, when created as `received`, or later). */
export async function createPurchase(input: CreatePurchaseInput, actor: Actor, options: WriteOptions = {}): Promise<PurchaseDto> {
  return transaction(async () => {
    const products = await checkedProducts(input.items);
    return insertPurchase(newPurchase(input, products), 'purchase.create', actor, options.at ?? now());
  });
}

/** An incoming shipment received now: a received purchase, unit costs defaulting to the products' cost price. */
export async function createShipment(input: CreateShipmentInput, actor: Actor, options: WriteOptions = {}): Promise<PurchaseDto> {
  return transaction(async () => {
    const products = await checkedProducts(input.items);
    const lines = input.items.map((i) => ({ product: products.get(i.productId)!, quantity: i.quantity, unitCost: i.unitCost ?? products.get(i.productId)!.costPrice }));
    const data = { supplierId: input.supplierId ?? null, lines, received: true, locationId: input.locationId, reference: input.reference, notes: input.notes };
    return insertPurchase(data, 'shipment.create', actor, options.at ?? now());
  });
}

export async function getPurchase(id: number): Promise<PurchaseDto> {
  const purchase = await Purchase.findByPk(id, { include: [{ model: Supplier, as: 'supplier', attributes: ['id', 'name'] }] });
  if (!purchase) throw notFound('Purchase');
  const items = await PurchaseItem.findAll({ where: { purchaseId: id }, include: [ITEM_INCLUDE], order: [['id', 'ASC']] });
  return purchaseDto(purchase, items);
}

/**
 * Receives all outstanding quantities, or the given ones (partial receipts).
 * The purchase row is locked first so two receipts of the same order queue up.
 */
export async function receivePurchase(id: number, input: ReceivePurchaseInput, actor: Actor, options: WriteOptions = {}): Promise<PurchaseDto> {
  return transaction(async () => {
    const purchase = await Purchase.findByPk(id, { lock: true });
    if (!purchase) throw notFound('Purchase');
    if (purchase.status === 'cancelled' || purchase.status === 'received') throw conflict(`The purchase is already ${purchase.status}`);
    const items = await PurchaseItem.findAll({ where: { purchaseId: id }, order: [['id', 'ASC']] });
    const wanted = input.items ?? items.map((i) => ({ productId: i.productId, quantity: i.quantity - i.receivedQuantity })).filter((i) => i.quantity > 0);
    const receipts = wanted.map((w, index) => {
      const item = items.find((i) => i.productId === w.productId);
      if (!item) throw badRequest(`Product ${w.productId} is not on this purchase`, [{ path: `items.${index}.productId`, message: 'not on this purchase' }]);
      const open = item.quantity - item.receivedQuantity;
      if (w.quantity > open) throw badRequest(`Cannot receive ${w.quantity} of product ${w.productId}: only ${open} outstanding`, [{ path: `items.${index}.quantity`, message: `at most ${open}` }]);
      return { item, quantity: w.quantity };
    });
    const at = options.at ?? now();
    for (const { item, quantity } of receipts) {
      item.receivedQuantity += quantity;
      await item.save();
    }
    const complete = items.every((i) => i.receivedQuantity >= i.quantity);
    const before = purchase.status;
    purchase.status = complete ? 'received' : 'partially_received';
    if (complete) purchase.receivedAt = at;
    await purchase.save();
    // Where the purchase said the goods would arrive, unless this receipt names another place.
    const location = await resolveLocation(input.locationId ?? purchase.locationId);
    await applyStockChanges(receipts.map((r) => ({ productId: r.item.productId, locationId: location.id, delta: r.quantity })), { reason: 'purchase', referenceType: 'purchase', referenceId: id, userId: actor.id, at });
    await recordAudit(
      { userId: actor.id, action: 'purchase.receive', entityType: 'purchase', entityId: id, changes: { status: { from: before, to: purchase.status }, received: receipts.map((r) => ({ productId: r.item.productId, quantity: r.quantity })) }, ip: actor.ip }
    );
    return getPurchase(id);
  });
}

/** Cancels an order while nothing of it has been received (a guarded status change). */
export async function cancelPurchase(id: number, actor: Actor, options: WriteOptions = {}): Promise<PurchaseDto> {
  return transaction(async () => {
    const existing = await Purchase.findByPk(id, { attributes: ['id', 'status'] });
    if (!existing) throw notFound('Purchase');
    const [changed] = await Purchase.update({ status: 'cancelled', cancelledAt: options.at ?? now() }, { where: { id, status: 'ordered' }});
    if (changed !== 1) {
      throw conflict(existing.status === 'cancelled' ? 'The purchase is already cancelled' : 'Stock has already been received on this purchase; it can no longer be cancelled');
    }
    await recordAudit({ userId: actor.id, action: 'purchase.cancel', entityType: 'purchase', entityId: id, changes: { status: { from: 'ordered', to: 'cancelled' } }, ip: actor.ip });
    return getPurchase(id);
  });
}

export async function purchaseWhere(filters: PurchaseFilters): Promise<WhereOptions<Purchase>> {
  const { timezone } = await getSettings();
  const where: Record<string | symbol, unknown> = {};
  const created = dateRange(filters.from, filters.to, timezone);
  if (created) where.createdAt = created;
  if (filters.status) where.status = filters.status;
  if (filters.supplierId) where.supplierId = filters.supplierId;
  if (filters.locationId) where.locationId = filters.locationId;
  if (filters.productId) where.id = { [Op.in]: literal(`(SELECT purchase_id FROM purchase_items WHERE product_id = ${Number(filters.productId)})`) };
  if (filters.search) where[Op.or] = [{ reference: { [Op.like]: `%${filters.search}%` } }, { notes: { [Op.like]: `%${filters.search}%` } }];
  return where as WhereOptions<Purchase>;
}

export async function listPurchases(query: PurchaseListQuery): Promise<Page<PurchaseDto>> {
  const { rows, count } = await Purchase.findAndCountAll({
    where: await purchaseWhere(query),
    include: [{ model: Supplier, as: 'supplier', attributes: ['id', 'name'] }],
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC']],
    limit: query.limit,
    offset: offsetOf(query),
  });
  const items: ItemWithProduct[] = rows.length ? await PurchaseItem.findAll({ where: { purchaseId: rows.map((r) => r.id) }, include: [ITEM_INCLUDE], order: [['id', 'ASC']] }) : [];
  return { data: rows.map((p) => purchaseDto(p, items.filter((i) => i.purchaseId === p.id))), page: query.page, limit: query.limit, total: count };
}
