import { Op, QueryTypes } from 'sequelize';
import { db, isSqlite, sqlReplacements, transaction } from '../../db/index.js';
import type { Actor, UserActor } from '../../shared/actor.js';
import { now, type WriteOptions } from '../../shared/clock.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { fromCents, toCents } from '../../shared/money.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { dateFormatter } from '../../shared/pdf/format.js';
import { renderReportPdf } from '../../shared/pdf/report.js';
import { can } from '../../shared/rights.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockChanges } from '../inventory/inventory.service.js';
import { Location } from '../locations/location.model.js';
import { resolveLocation } from '../locations/location.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { StockCount, StockCountLine } from './stock-count.model.js';
import type { CountListQuery, CreateCountInput, RecordCountsInput } from './stock-count.schemas.js';

type LoadedLine = StockCountLine & { product?: Product };
const LINE_INCLUDE = { model: Product, as: 'product', attributes: ['id', 'sku', 'name', 'category'] };

/** Expected quantities of a blind count stay hidden from whoever may not post it, until it is submitted. */
function seesExpected(count: StockCount, actor: Pick<Actor, 'role'> | undefined): boolean {
  return !count.blind || count.status !== 'counting' || can(actor?.role, 'counts:post');
}

function totalsOf(lines: StockCountLine[]) {
  const counted = lines.filter((l) => l.counted !== null);
  const varied = lines.filter((l) => l.variance !== null);
  return {
    lines: lines.length,
    counted: counted.length,
    uncounted: lines.length - counted.length,
    varianceUnits: varied.reduce((n, l) => n + l.variance!, 0),
    varianceValue: fromCents(varied.reduce((n, l) => n + l.variance! * toCents(l.unitCost), 0)),
  };
}

export function countDto(count: StockCount, location: Location | undefined, lines: LoadedLine[], actor?: Pick<Actor, 'role'>) {
  const showExpected = seesExpected(count, actor);
  return {
    id: count.id,
    status: count.status,
    locationId: count.locationId,
    location: { id: count.locationId, code: location?.code ?? '', name: location?.name ?? '' },
    blind: count.blind,
    category: count.category,
    notes: count.notes,
    userId: count.userId,
    lines: lines.map((l) => ({
      productId: l.productId,
      sku: l.product?.sku ?? '',
      name: l.product?.name ?? '',
      category: l.product?.category ?? '',
      expected: showExpected ? l.expected : null,
      counted: l.counted,
      movementsSince: showExpected ? l.movementsSince : null,
      variance: l.variance,
      varianceValue: l.variance === null ? null : fromCents(l.variance * toCents(l.unitCost)),
      countedAt: l.countedAt,
    })),
    totals: totalsOf(lines),
    submittedAt: count.submittedAt,
    postedAt: count.postedAt,
    cancelledAt: count.cancelledAt,
    createdAt: count.createdAt,
    updatedAt: count.updatedAt,
  };
}
export type CountDto = ReturnType<typeof countDto>;

async function loadLines(countId: number): Promise<LoadedLine[]> {
  return StockCountLine.findAll({ where: { stockCountId: countId }, include: [LINE_INCLUDE], order: [[{ model: Product, as: 'product' }, 'name', 'ASC'], ['productId', 'ASC']] });
}

export async function getCount(id: number, actor?: Pick<Actor, 'role'>): Promise<CountDto> {
  const count = await StockCount.findByPk(id);
  if (!count) throw notFound('Stock count');
  return countDto(count, (await Location.findByPk(count.locationId)) ?? undefined, await loadLines(id), actor);
}

/** The products a new count covers: the given ones, else the category's active ones, else those with stock or history here. */
async function productsToCount(input: CreateCountInput, locationId: number): Promise<Product[]> {
  if (input.productIds) {
    const products = await Product.findAll({ where: { id: input.productIds, archivedAt: null } });
    const found = new Set(products.map((p) => p.id));
    const missing = input.productIds.filter((id) => !found.has(id));
    if (missing.length) throw badRequest(`Unknown or archived product: ${missing.join(', ')}`, [{ path: 'productIds', message: `no active product ${missing.join(', ')}` }]);
    return products;
  }
  if (input.category) return Product.findAll({ where: { category: input.category, archivedAt: null } });
  return Product.findAll({ where: { archivedAt: null, id: { [Op.in]: db().literal(`(SELECT product_id FROM stock_levels WHERE location_id = ${Number(locationId)})`) } } });
}

/**
 * The stock levels of these products here, read under their row locks (in
 * product order, as every stock change takes them): a sale in flight is either
 * fully in the figure or not at all. Missing levels are created at 0 first.
 */
async function lockedLevels(locationId: number, productIds: number[]): Promise<Map<number, number>> {
  const at = now();
  const ignore = isSqlite() ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  const values = productIds.map((id) => `(${Number(id)}, ${Number(locationId)}, 0, :at, :at)`).join(',');
  await db().query(`${ignore} INTO stock_levels (product_id, location_id, quantity, created_at, updated_at) VALUES ${values}`, { replacements: sqlReplacements({ at }) });
  const rows = await db().query<{ product_id: number; quantity: number | string }>(
    `SELECT product_id, quantity FROM stock_levels WHERE location_id = :locationId AND product_id IN (:productIds) ORDER BY product_id${isSqlite() ? '' : ' FOR UPDATE'}`,
    { type: QueryTypes.SELECT, replacements: { locationId, productIds } },
  );
  return new Map(rows.map((r) => [Number(r.product_id), Number(r.quantity)]));
}

/** Opens a count: each line's expected quantity is the location's quantity at this moment. */
export async function createCount(input: CreateCountInput, actor: Actor, options: WriteOptions = {}): Promise<CountDto> {
  const id = await transaction(async () => {
    const location = await resolveLocation(input.locationId, 'locationId');
    const products = await productsToCount(input, location.id);
    if (!products.length) throw badRequest('Nothing to count: no matching active product', [{ path: input.category ? 'category' : 'productIds', message: 'no active product matches' }]);
    const levels = await lockedLevels(location.id, products.map((p) => p.id).sort((a, b) => a - b));
    const at = options.at ?? now();
    const count = await StockCount.create(
      { locationId: location.id, status: 'counting', blind: input.blind ?? false, category: input.category ?? null, notes: input.notes ?? null, userId: actor.id, createdAt: at, updatedAt: at },
      { silent: true },
    );
    await StockCountLine.bulkCreate(products.map((p) => ({ stockCountId: count.id, productId: p.id, expected: levels.get(p.id) ?? 0, unitCost: p.costPrice, createdAt: at, updatedAt: at })));
    await recordAudit({ userId: actor.id, action: 'stock_count.create', entityType: 'stock_count', entityId: count.id, changes: { location: location.code, lines: products.length, blind: count.blind }, ip: actor.ip });
    return count.id;
  });
  return getCount(id, actor);
}

async function lockedCount(id: number): Promise<StockCount> {
  const count = await StockCount.findByPk(id, { lock: true });
  if (!count) throw notFound('Stock count');
  return count;
}

/**
 * Records counted quantities while counting (as often as needed). Each line
 * keeps what moved at the location since the snapshot up to this moment,
 * read under the stock level's lock, so later trade never becomes variance.
 */
export async function recordCounts(id: number, input: RecordCountsInput, actor: Actor, options: WriteOptions = {}): Promise<CountDto> {
  await transaction(async () => {
    const count = await lockedCount(id);
    if (count.status !== 'counting') throw conflict(`The count is ${count.status}; counts can only be recorded while counting`);
    const lines = await StockCountLine.findAll({ where: { stockCountId: id } });
    const byProduct = new Map(lines.map((l) => [l.productId, l]));
    const bad = input.lines.flatMap((l, index) => (byProduct.has(l.productId) ? [] : [{ path: `lines.${index}.productId`, message: `product ${l.productId} is not in this count` }]));
    if (bad.length) throw badRequest('Product not in this count', bad);
    const entries = [...input.lines].sort((a, b) => a.productId - b.productId);
    const levels = await lockedLevels(count.locationId, entries.map((e) => e.productId));
    const at = options.at ?? now();
    for (const entry of entries) {
      const line = byProduct.get(entry.productId)!;
      await line.update({ counted: entry.counted, movementsSince: (levels.get(entry.productId) ?? 0) - line.expected, countedAt: at, countedBy: actor.id });
    }
    await recordAudit({ userId: actor.id, action: 'stock_count.record', entityType: 'stock_count', entityId: id, changes: { lines: input.lines }, ip: actor.ip });
  });
  return getCount(id, actor);
}

/** Closes counting: each counted line gets its variance = counted - (expected + movementsSince). */
export async function submitCount(id: number, actor: Actor, options: WriteOptions = {}): Promise<CountDto> {
  await transaction(async () => {
    const count = await lockedCount(id);
    if (count.status !== 'counting') throw conflict(`The count is already ${count.status}`);
    const lines = await StockCountLine.findAll({ where: { stockCountId: id, counted: { [Op.ne]: null } } });
    for (const line of lines) await line.update({ variance: line.counted! - (line.expected + (line.movementsSince ?? 0)) });
    await count.update({ status: 'review', submittedAt: options.at ?? now() });
    await recordAudit({ userId: actor.id, action: 'stock_count.submit', entityType: 'stock_count', entityId: id, changes: { status: { from: 'counting', to: 'review' }, counted: lines.length }, ip: actor.ip });
  });
  return getCount(id, actor);
}

/** Books the variances: one `count` ledger row per line that differs; uncounted lines change nothing. Once only. */
export async function postCount(id: number, actor: Actor, options: WriteOptions = {}): Promise<CountDto> {
  await transaction(async () => {
    const count = await lockedCount(id);
    if (count.status !== 'review') throw conflict(count.status === 'posted' ? 'The count is already posted' : `The count is ${count.status}; only a submitted count can be posted`);
    const lines = await StockCountLine.findAll({ where: { stockCountId: id, variance: { [Op.ne]: 0 } } });
    const at = options.at ?? now();
    await applyStockChanges(
      lines.filter((l) => l.variance !== null).map((l) => ({ productId: l.productId, locationId: count.locationId, delta: l.variance! })),
      { reason: 'count', referenceType: 'stock_count', referenceId: id, userId: actor.id, at, note: `Stock count #${id}` },
    );
    await count.update({ status: 'posted', postedAt: at });
    await recordAudit({ userId: actor.id, action: 'stock_count.post', entityType: 'stock_count', entityId: id, changes: { status: { from: 'review', to: 'posted' }, adjusted: lines.length }, ip: actor.ip });
  });
  return getCount(id, actor);
}

export async function cancelCount(id: number, actor: Actor, options: WriteOptions = {}): Promise<CountDto> {
  await transaction(async () => {
    const count = await lockedCount(id);
    if (count.status === 'posted' || count.status === 'cancelled') throw conflict(`The count is already ${count.status}`);
    const before = count.status;
    await count.update({ status: 'cancelled', cancelledAt: options.at ?? now() });
    await recordAudit({ userId: actor.id, action: 'stock_count.cancel', entityType: 'stock_count', entityId: id, changes: { status: { from: before, to: 'cancelled' } }, ip: actor.ip });
  });
  return getCount(id, actor);
}

export async function listCounts(query: CountListQuery, actor: UserActor): Promise<Page<Omit<CountDto, 'lines'>>> {
  const where = { ...(query.status ? { status: query.status } : {}), ...(query.locationId ? { locationId: query.locationId } : {}) };
  const { rows, count } = await StockCount.findAndCountAll({ where, order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC']], limit: query.limit, offset: offsetOf(query) });
  const ids = rows.map((r) => r.id);
  const lines = ids.length ? await StockCountLine.findAll({ where: { stockCountId: ids } }) : [];
  const locations = new Map((await Location.findAll({ where: { id: [...new Set(rows.map((r) => r.locationId))] } })).map((l) => [l.id, l]));
  const data = rows.map((c) => {
    const { lines: _lines, ...summary } = countDto(c, locations.get(c.locationId), lines.filter((l) => l.stockCountId === c.id), actor);
    return summary;
  });
  return { data, page: query.page, limit: query.limit, total: count };
}

/** A printable count sheet: one row per product with room for the count; expected quantities only when the reader may see them. */
export async function writeCountSheet(id: number, actor: UserActor, stream: NodeJS.WritableStream): Promise<void> {
  const count = await getCount(id, actor);
  const settings = await getSettings();
  const showExpected = !count.blind;
  async function* rows() {
    for (const l of count.lines) yield [l.sku, l.name, l.category, ...(showExpected ? [String(l.expected)] : []), l.counted === null ? '' : String(l.counted), ''];
  }
  await renderReportPdf(
    {
      title: `Stock count #${count.id}`,
      companyName: settings.companyName,
      subtitle: `${count.location.name} (${count.location.code})${count.category ? `, ${count.category}` : ''}${count.blind ? ', blind count' : ''} - ${count.status} - printed ${dateFormatter(settings.timezone, true)(now())}`,
      summary: [
        ['Products', String(count.totals.lines)],
        ['Counted so far', String(count.totals.counted)],
        ['Counted by', ''],
      ],
      columns: [
        { label: 'SKU', width: 100 },
        { label: 'Product', width: 280 },
        { label: 'Category', width: 120 },
        ...(showExpected ? [{ label: 'Expected', width: 70, align: 'right' as const }] : []),
        { label: 'Counted', width: 70, align: 'right' },
        { label: 'Notes', width: 120 },
      ],
      rows: rows(),
      maxRows: 5000,
      totalRows: count.lines.length,
    },
    stream,
  );
}

