import { Op, literal, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import { now, type WriteOptions } from '../../shared/clock.js';
import { dateRange } from '../../shared/date-range.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockChanges } from '../inventory/inventory.service.js';
import { Location } from '../locations/location.model.js';
import { resolveLocation } from '../locations/location.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { CANCELLABLE_TRANSFER_STATUSES, OPEN_TRANSFER_STATUSES, Transfer, TransferLine } from './transfer.model.js';
import type { CreateTransferInput, ReceiveTransferInput, TransferListQuery } from './transfer.schemas.js';

type LoadedLine = TransferLine & { product?: Product };
const LINE_INCLUDE = { model: Product, as: 'product', attributes: ['id', 'sku', 'name'] };
const OPEN = OPEN_TRANSFER_STATUSES;

function locationRef(location: Location | undefined, id: number) {
  return { id, code: location?.code ?? '', name: location?.name ?? '' };
}

export function transferDto(transfer: Transfer, lines: LoadedLine[], locations: Map<number, Location>) {
  return {
    id: transfer.id,
    fromLocationId: transfer.fromLocationId,
    toLocationId: transfer.toLocationId,
    fromLocation: locationRef(locations.get(transfer.fromLocationId), transfer.fromLocationId),
    toLocation: locationRef(locations.get(transfer.toLocationId), transfer.toLocationId),
    status: transfer.status,
    reference: transfer.reference,
    notes: transfer.notes,
    userId: transfer.userId,
    lines: lines.map((l) => ({ productId: l.productId, sku: l.product?.sku ?? '', name: l.product?.name ?? '', quantity: l.quantity, shipped: l.shipped, received: l.received })),
    inTransit: OPEN.includes(transfer.status) ? lines.reduce((n, l) => n + l.shipped - l.received, 0) : 0,
    shippedAt: transfer.shippedAt,
    receivedAt: transfer.receivedAt,
    cancelledAt: transfer.cancelledAt,
    createdAt: transfer.createdAt,
    updatedAt: transfer.updatedAt,
  };
}
export type TransferDto = ReturnType<typeof transferDto>;

async function locationsOf(transfers: Transfer[]): Promise<Map<number, Location>> {
  const ids = [...new Set(transfers.flatMap((t) => [t.fromLocationId, t.toLocationId]))];
  const rows = ids.length ? await Location.findAll({ where: { id: ids } }) : [];
  return new Map(rows.map((l) => [l.id, l]));
}

export async function getTransfer(id: number): Promise<TransferDto> {
  const transfer = await Transfer.findByPk(id);
  if (!transfer) throw notFound('Transfer');
  const lines = await TransferLine.findAll({ where: { transferId: id }, include: [LINE_INCLUDE], order: [['productId', 'ASC']] });
  return transferDto(transfer, lines, await locationsOf([transfer]));
}

/** A draft: nothing moves until it ships. Both locations must take stock, and every product must be active. */
export async function createTransfer(input: CreateTransferInput, actor: Actor, options: WriteOptions = {}): Promise<TransferDto> {
  return transaction(async () => {
    const from = await resolveLocation(input.fromLocationId, 'fromLocationId');
    const to = await resolveLocation(input.toLocationId, 'toLocationId');
    const products = await Product.findAll({ where: { id: input.items.map((i) => i.productId), archivedAt: null }, attributes: ['id'] });
    const known = new Set(products.map((p) => p.id));
    const bad = input.items.flatMap((item, index) => (known.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `product ${item.productId} does not exist or is archived` }]));
    if (bad.length) throw badRequest('Unknown or archived product in items', bad);
    const at = options.at ?? now();
    const transfer = await Transfer.create(
      { fromLocationId: from.id, toLocationId: to.id, status: 'draft', reference: input.reference ?? null, notes: input.notes ?? null, userId: actor.id, createdAt: at, updatedAt: at },
      { silent: true },
    );
    await TransferLine.bulkCreate(input.items.map((i) => ({ transferId: transfer.id, productId: i.productId, quantity: i.quantity, createdAt: at, updatedAt: at })));
    await recordAudit({ userId: actor.id, action: 'transfer.create', entityType: 'transfer', entityId: transfer.id, changes: { from: from.code, to: to.code, items: input.items }, ip: actor.ip });
    return getTransfer(transfer.id);
  });
}

/** The transfer under its row lock (receipts and cancellations of one transfer queue up), with its lines. */
async function lockedTransfer(id: number): Promise<{ transfer: Transfer; lines: TransferLine[] }> {
  const transfer = await Transfer.findByPk(id, { lock: true });
  if (!transfer) throw notFound('Transfer');
  const lines = await TransferLine.findAll({ where: { transferId: id }, order: [['productId', 'ASC']] });
  return { transfer, lines };
}

/** Ships a draft: every line leaves `from` at once (any short line: 409 and nothing moves); the goods are in transit. */
export async function shipTransfer(id: number, actor: Actor, options: WriteOptions = {}): Promise<TransferDto> {
  return transaction(async () => {
    const { transfer, lines } = await lockedTransfer(id);
    if (transfer.status !== 'draft') throw conflict(`The transfer is already ${transfer.status.replace('_', ' ')}; only a draft ships`);
    await resolveLocation(transfer.fromLocationId, 'fromLocationId');
    await resolveLocation(transfer.toLocationId, 'toLocationId');
    const at = options.at ?? now();
    await applyStockChanges(
      lines.map((l) => ({ productId: l.productId, locationId: transfer.fromLocationId, delta: -l.quantity })),
      { reason: 'transfer_out', referenceType: 'transfer', referenceId: id, userId: actor.id, at },
    );
    await TransferLine.update({ shipped: literal('quantity') as unknown as number }, { where: { transferId: id } });
    await transfer.update({ status: 'in_transit', shippedAt: at });
    await recordAudit({ userId: actor.id, action: 'transfer.ship', entityType: 'transfer', entityId: id, changes: { status: { from: 'draft', to: 'in_transit' } }, ip: actor.ip });
    return getTransfer(id);
  });
}

/** Receives what is named (all that is outstanding without `items`) at `to`; the last receipt completes the transfer. */
export async function receiveTransfer(id: number, input: ReceiveTransferInput, actor: Actor, options: WriteOptions = {}): Promise<TransferDto> {
  return transaction(async () => {
    const { transfer, lines } = await lockedTransfer(id);
    if (!OPEN.includes(transfer.status)) throw conflict(transfer.status === 'draft' ? 'The transfer has not shipped yet' : `The transfer is already ${transfer.status}`);
    const wanted = input.items ?? lines.map((l) => ({ productId: l.productId, quantity: l.shipped - l.received })).filter((w) => w.quantity > 0);
    const receipts = wanted.map((w, index) => {
      const line = lines.find((l) => l.productId === w.productId);
      if (!line) throw badRequest(`Product ${w.productId} is not on this transfer`, [{ path: `items.${index}.productId`, message: 'not on this transfer' }]);
      const open = line.shipped - line.received;
      if (w.quantity > open) throw badRequest(`Cannot receive ${w.quantity} of product ${w.productId}: only ${open} in transit`, [{ path: `items.${index}.quantity`, message: `at most ${open}` }]);
      return { line, quantity: w.quantity };
    });
    const at = options.at ?? now();
    await applyStockChanges(
      receipts.map((r) => ({ productId: r.line.productId, locationId: transfer.toLocationId, delta: r.quantity })),
      { reason: 'transfer_in', referenceType: 'transfer', referenceId: id, userId: actor.id, at },
    );
    for (const { line, quantity } of receipts) await line.update({ received: line.received + quantity });
    const complete = lines.every((l) => l.received >= l.shipped);
    const before = transfer.status;
    await transfer.update({ status: complete ? 'received' : 'partially_received', ...(complete ? { receivedAt: at } : {}) });
    await recordAudit({
      userId: actor.id,
      action: 'transfer.receive',
      entityType: 'transfer',
      entityId: id,
      changes: { status: { from: before, to: transfer.status }, received: receipts.map((r) => ({ productId: r.line.productId, quantity: r.quantity })) },
      ip: actor.ip,
    });
    return getTransfer(id);
  });
}

/** A draft is just cancelled; a shipped transfer sends what has not arrived back to `from`. A received one stays. */
export async function cancelTransfer(id: number, actor: Actor, options: WriteOptions = {}): Promise<TransferDto> {
  return transaction(async () => {
    const { transfer, lines } = await lockedTransfer(id);
    if (!CANCELLABLE_TRANSFER_STATUSES.includes(transfer.status)) throw conflict(`The transfer is already ${transfer.status}; it cannot be cancelled`);
    const at = options.at ?? now();
    const back = lines.map((l) => ({ productId: l.productId, locationId: transfer.fromLocationId, delta: l.shipped - l.received })).filter((l) => l.delta > 0);
    if (back.length) await applyStockChanges(back, { reason: 'transfer_cancel', referenceType: 'transfer', referenceId: id, userId: actor.id, at });
    const before = transfer.status;
    await transfer.update({ status: 'cancelled', cancelledAt: at });
    await recordAudit({ userId: actor.id, action: 'transfer.cancel', entityType: 'transfer', entityId: id, changes: { status: { from: before, to: 'cancelled' }, returned: back }, ip: actor.ip });
    return getTransfer(id);
  });
}

export async function listTransfers(query: TransferListQuery): Promise<Page<TransferDto>> {
  const where: Record<string | symbol, unknown> = {};
  if (query.status) where.status = query.status;
  if (query.fromLocationId) where.fromLocationId = query.fromLocationId;
  if (query.toLocationId) where.toLocationId = query.toLocationId;
  if (query.productId) where.id = { [Op.in]: literal(`(SELECT transfer_id FROM transfer_lines WHERE product_id = ${Number(query.productId)})`) };
  const created = dateRange(query.from, query.to, (await getSettings()).timezone);
  if (created) where.createdAt = created;
  const { rows, count } = await Transfer.findAndCountAll({
    where: where as WhereOptions<Transfer>,
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC']],
    limit: query.limit,
    offset: offsetOf(query),
  });
  const lines: LoadedLine[] = rows.length ? await TransferLine.findAll({ where: { transferId: rows.map((t) => t.id) }, include: [LINE_INCLUDE], order: [['productId', 'ASC']] }) : [];
  const locations = await locationsOf(rows);
  return { data: rows.map((t) => transferDto(t, lines.filter((l) => l.transferId === t.id), locations)), page: query.page, limit: query.limit, total: count };
}
