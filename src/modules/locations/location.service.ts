import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { centsSum, db, readSnapshot, selectRows, transaction, type PipelinedStatement } from '../../db/index.js';
import { fromCents } from '../../shared/money.js';
import type { Actor } from '../../shared/actor.js';
import { badRequest, conflict, duplicate, notFound } from '../../shared/errors.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { thresholdSql } from '../inventory/low-stock.service.js';
import { StockLevel } from '../inventory/stock-level.model.js';
import { StockMovement } from '../inventory/stock-movement.model.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { Location } from './location.model.js';
import type { CreateLocationInput, LocationListQuery, LocationStockQuery, UpdateLocationInput } from './location.schemas.js';

/** The default location: where stock changes happen when a request names none. */
export async function defaultLocation(): Promise<Location> {
  const location = await Location.findOne({ where: { isDefault: true } });
  if (!location) throw new Error('No default location: the locations migration has not run');
  return location;
}

/**
 * The location a stock-changing request names (`field` is its name in the
 * request, for the 400), or the default one when it names none. Unknown and
 * archived locations take no stock.
 */
export async function resolveLocation(id: number | undefined | null, field = 'locationId'): Promise<Location> {
  if (id === undefined || id === null) return defaultLocation();
  return usableLocation(await Location.findByPk(id), id, field);
}

/** A location a request named: 400 when it does not exist or is archived. */
function usableLocation<L extends { code: string; archivedAt?: unknown }>(location: L | null | undefined, id: number, field: string): L {
  if (!location) throw badRequest(`Unknown location ${id}`, [{ path: field, message: `no location with id ${id}` }]);
  if (location.archivedAt) throw badRequest(`Location ${location.code} is archived`, [{ path: field, message: 'archived location' }]);
  return location;
}

/** resolveLocation as a statement for a pipeline (the row's id, code and archivedAt), and its rules on the rows read. */
export function locationStatement(id: number | undefined | null, field = 'locationId'): { statement: PipelinedStatement; locationOf(rows: unknown): { id: number; code: string } } {
  const columns = 'SELECT id, code, archived_at AS archivedAt FROM locations';
  const named = id !== undefined && id !== null;
  return {
    statement: named ? { sql: `${columns} WHERE id = :id`, replacements: { id }, type: QueryTypes.SELECT } : { sql: `${columns} WHERE is_default = 1 LIMIT 1`, type: QueryTypes.SELECT },
    locationOf(rows) {
      const [row] = rows as ({ id: number | string; code: string; archivedAt: unknown } | undefined)[];
      if (!named && !row) throw new Error('No default location: the locations migration has not run');
      const location = named ? usableLocation(row, id, field) : row!;
      return { id: Number(location.id), code: location.code };
    },
  };
}

export async function listLocations(query: LocationListQuery): Promise<Page<Location>> {
  const where: WhereOptions<Location> = {};
  if (!query.includeArchived) Object.assign(where, { archivedAt: null });
  if (query.search) Object.assign(where, { [Op.or]: [{ name: { [Op.like]: `%${query.search}%` } }, { code: { [Op.like]: `%${query.search.toUpperCase()}%` } }] });
  const { rows, count } = await Location.findAndCountAll({ where, order: [orderFrom(query.sort, 'name'), ['id', 'ASC']], limit: query.limit, offset: offsetOf(query) });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

export async function getLocation(id: number): Promise<Location> {
  const location = await Location.findByPk(id);
  if (!location) throw notFound('Location');
  return location;
}

async function assertUnique(fields: { code?: string; name?: string }, exceptId: number | null): Promise<void> {
  for (const key of ['code', 'name'] as const) {
    const value = fields[key];
    if (value === undefined) continue;
    const taken = await Location.findOne({ where: { [key]: value, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) }, attributes: ['id'] });
    if (taken) throw duplicate(`A location with ${key} ${value} already exists`, [{ path: key, message: 'already exists' }]);
  }
}

/** Quantity held at a location in all (0 without stock levels). */
async function unitsAt(locationId: number): Promise<number> {
  return Number((await StockLevel.sum('quantity', { where: { locationId } })) ?? 0);
}

/** Makes `location` the only default (inside the caller's transaction). */
async function makeDefault(location: Location): Promise<void> {
  await Location.update({ isDefault: false }, { where: { isDefault: true, id: { [Op.ne]: location.id } } });
  location.isDefault = true;
}

export async function createLocation(input: CreateLocationInput, actor: Actor): Promise<Location> {
  return transaction(async () => {
    await assertUnique(input, null);
    const location = await Location.create({ name: input.name, code: input.code, type: input.type ?? 'store', address: input.address ?? null, isDefault: false });
    if (input.isDefault) {
      await makeDefault(location);
      await location.save();
    }
    await recordAudit({ userId: actor.id, action: 'location.create', entityType: 'location', entityId: location.id, changes: { ...input }, ip: actor.ip });
    return location;
  });
}

/**
 * Partial update. Exactly one location stays the default: another becomes it
 * with `isDefault: true`; the default cannot give it up or be archived. A
 * location is archived (archivedAt) only when it holds no stock.
 */
export async function updateLocation(id: number, input: UpdateLocationInput, actor: Actor): Promise<Location> {
  return transaction(async () => {
    const location = await Location.findByPk(id, { lock: true });
    if (!location) throw notFound('Location');
    await assertUnique(input, id);
    const before = location.get({ plain: true, clone: true });
    const { isDefault, archivedAt, ...plain } = input;
    location.set(Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)));
    if (isDefault === false && location.isDefault) throw conflict('Exactly one location is the default: make another location the default instead');
    if (archivedAt !== undefined) {
      if (archivedAt && (location.isDefault || isDefault)) throw conflict('The default location cannot be archived; make another location the default first');
      if (archivedAt && !location.archivedAt) {
        const held = await unitsAt(id);
        if (held > 0) throw conflict(`Location ${location.code} still holds ${held} unit(s); move them elsewhere before archiving it`);
      }
      location.archivedAt = archivedAt ? new Date(archivedAt) : null;
    }
    if (isDefault && !location.isDefault) {
      if (location.archivedAt) throw conflict('An archived location cannot be the default');
      await makeDefault(location);
    }
    await location.save();
    const changes = changedFields(before, location.get({ plain: true }));
    delete changes.updatedAt;
    if (Object.keys(changes).length) await recordAudit({ userId: actor.id, action: 'location.update', entityType: 'location', entityId: id, changes, ip: actor.ip });
    return location;
  });
}

/** Only a location that never held stock goes; one with history is archived instead (409 says so). */
export async function deleteLocation(id: number, actor: Actor): Promise<void> {
  await transaction(async () => {
    const location = await Location.findByPk(id, { lock: true });
    if (!location) throw notFound('Location');
    if (location.isDefault) throw conflict('The default location cannot be deleted');
    const held = await unitsAt(id);
    if (held > 0) throw conflict(`Location ${location.code} holds ${held} unit(s); it cannot be deleted`);
    const history = await StockMovement.count({ where: { locationId: id } });
    const documents = Number(
      (
        await db().query<{ n: number | string }>(
          `SELECT (SELECT COUNT(*) FROM transfers WHERE from_location_id = :id OR to_location_id = :id) + (SELECT COUNT(*) FROM stock_counts WHERE location_id = :id) AS n`,
          { type: QueryTypes.SELECT, replacements: { id } },
        )
      )[0].n,
    );
    if (history || documents) throw conflict(`Location ${location.code} has stock history; archive it instead (PUT with archivedAt)`);
    await StockLevel.destroy({ where: { locationId: id } });
    await location.destroy();
    await recordAudit({ userId: actor.id, action: 'location.delete', entityType: 'location', entityId: id, changes: { code: location.code, name: location.name }, ip: actor.ip });
  });
}

interface StockRow {
  product_id: number;
  sku: string;
  name: string;
  category: string;
  quantity: number | string;
  threshold: number | string;
}

/** The products held at a location (those with a stock level there), with their quantity, by name. */
export async function locationStock(id: number, query: LocationStockQuery): Promise<Page<{ productId: number; sku: string; name: string; category: string; quantity: number; threshold: number }>> {
  await getLocation(id);
  const { lowStockThreshold } = await getSettings();
  const threshold = thresholdSql(lowStockThreshold);
  const conditions = ['l.location_id = :id', 'p.archived_at IS NULL'];
  if (query.search) conditions.push('(p.name LIKE :like OR p.sku LIKE :like)');
  if (query.lowStock !== undefined) conditions.push(query.lowStock ? `l.quantity <= ${threshold}` : `l.quantity > ${threshold}`);
  const from = `FROM stock_levels l JOIN products p ON p.id = l.product_id WHERE ${conditions.join(' AND ')}`;
  const replacements = { id, like: `%${query.search ?? ''}%`, limit: query.limit, offset: offsetOf(query) };
  const [rows, [{ total }]] = await Promise.all([
    db().query<StockRow>(`SELECT l.product_id, p.sku, p.name, p.category, l.quantity, ${threshold} AS threshold ${from} ORDER BY p.name, p.id LIMIT :limit OFFSET :offset`, { type: QueryTypes.SELECT, replacements }),
    db().query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, { type: QueryTypes.SELECT, replacements }),
  ]);
  const data = rows.map((r) => ({ productId: Number(r.product_id), sku: r.sku, name: r.name, category: r.category, quantity: Number(r.quantity), threshold: Number(r.threshold) }));
  return { data, page: query.page, limit: query.limit, total: Number(total) };
}

/** Units shipped by transfers and not yet received, per product (all when `productIds` is omitted). */
export async function inTransitByProduct(productIds?: number[]): Promise<Map<number, number>> {
  if (productIds && !productIds.length) return new Map();
  const rows = await db().query<{ product_id: number; units: number | string }>(
    `SELECT tl.product_id, SUM(tl.shipped - tl.received) AS units
       FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id
      WHERE t.status IN ('in_transit', 'partially_received') ${productIds ? 'AND tl.product_id IN (:productIds)' : ''}
      GROUP BY tl.product_id`,
    { type: QueryTypes.SELECT, replacements: { productIds: productIds ?? [] } },
  );
  return new Map(rows.map((r) => [Number(r.product_id), Number(r.units)]));
}

/** A product's stock by location (every active location, 0 where none), its total on hand and what is in transit. */
export async function productStock(productId: number) {
  const product = await Product.findByPk(productId, { attributes: ['id', 'stock'] });
  if (!product) throw notFound('Product');
  const [locations, levels, transit] = await Promise.all([
    Location.findAll({ where: { archivedAt: null }, order: [['isDefault', 'DESC'], ['name', 'ASC']] }),
    StockLevel.findAll({ where: { productId }, attributes: ['locationId', 'quantity'] }),
    inTransitByProduct([productId]),
  ]);
  const held = new Map(levels.map((l) => [l.locationId, l.quantity]));
  return {
    productId,
    total: product.stock,
    inTransit: transit.get(productId) ?? 0,
    locations: locations.map((l) => ({ locationId: l.id, code: l.code, name: l.name, quantity: held.get(l.id) ?? 0 })),
  };
}

export interface LocationStock {
  locationId: number;
  code: string;
  name: string;
  units: number;
  value: number;
}

/** Units and value at cost (integer cents) of every active product's stock. */
export interface StockTotals {
  units: number;
  costCents: number;
}

/** StockTotals of the active products, from the covering index of migration 0010. */
async function activeStockTotals(): Promise<StockTotals> {
  const [row] = await selectRows<{ units: unknown; cost_cents: unknown }>(
    `SELECT SUM(stock) AS units, ${centsSum('stock', 'cost_price')} AS cost_cents FROM products WHERE archived_at IS NULL`,
  );
  return { units: Number(row?.units ?? 0), costCents: Number(row?.cost_cents ?? 0) };
}

/**
 * Units and value at cost of active products per active location (default
 * first), and what is on the road between them. A product's stock is the sum
 * of its levels (DESIGN.md), so the default location holds what the others do
 * not: only the other locations' levels are read (each joined to its product
 * by primary key), and the default's figures are `totals` (the active
 * products' stock, read in the same snapshot by the caller) less theirs.
 * Without `totals` they are read here, on one snapshot with the levels.
 */
export async function stockValueByLocation(totals?: StockTotals): Promise<{ locations: LocationStock[]; inTransit: { units: number; value: number } }> {
  const [{ all, places }, [road]] = await Promise.all([
    readSnapshot(async () => {
      const [active, elsewhere, rows] = await Promise.all([
        totals ?? activeStockTotals(),
        selectRows<{ location_id: unknown; units: unknown; cost_cents: unknown }>(
          `SELECT s.location_id, SUM(s.quantity) AS units, ${centsSum('s.quantity', 'p.cost_price')} AS cost_cents
             FROM locations o JOIN stock_levels s ON s.location_id = o.id JOIN products p ON p.id = s.product_id
            WHERE NOT o.is_default AND p.archived_at IS NULL GROUP BY s.location_id`,
        ),
        selectRows<{ id: unknown; code: string; name: string; is_default: unknown }>('SELECT id, code, name, is_default FROM locations WHERE archived_at IS NULL ORDER BY is_default DESC, name'),
      ]);
      return { all: { active, elsewhere }, places: rows };
    }),
    selectRows<{ units: unknown; cost_cents: unknown }>(
      `SELECT SUM(tl.shipped - tl.received) AS units, ${centsSum('(tl.shipped - tl.received)', 'p.cost_price')} AS cost_cents
         FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id JOIN products p ON p.id = tl.product_id
        WHERE t.status IN ('in_transit', 'partially_received')`,
    ),
  ]);
  const held = new Map(all.elsewhere.map((r) => [Number(r.location_id), { units: Number(r.units ?? 0), costCents: Number(r.cost_cents ?? 0) }]));
  // Every other location, archived ones included (they hold nothing, by rule), comes off the total.
  const atDefault = { units: all.active.units, costCents: all.active.costCents };
  for (const figures of held.values()) {
    atDefault.units -= figures.units;
    atDefault.costCents -= figures.costCents;
  }
  return {
    locations: places.map((r) => {
      const figures = Number(r.is_default) ? atDefault : (held.get(Number(r.id)) ?? { units: 0, costCents: 0 });
      return { locationId: Number(r.id), code: r.code, name: r.name, units: figures.units, value: fromCents(figures.costCents) };
    }),
    inTransit: { units: Number(road.units ?? 0), value: fromCents(Number(road.cost_cents ?? 0)) },
  };
}
