import Fuse from 'fuse.js';
import { z } from '../../shared/zod.js';
import { productStock, stockValueByLocation } from '../locations/location.service.js';
import { findProduct } from './stock.tools.js';
import { defineTool, select } from './tool.js';

interface Place {
  locationId: number;
  code: string;
  name: string;
  type: string;
  isDefault: boolean;
}

/** Active locations, the default first. */
export async function activeLocations(): Promise<Place[]> {
  const rows = await select<{ id: number; code: string; name: string; type: string; is_default: number | boolean }>(
    'SELECT id, code, name, type, is_default FROM locations WHERE archived_at IS NULL ORDER BY is_default DESC, name',
  );
  return rows.map((r) => ({ locationId: Number(r.id), code: r.code, name: r.name, type: r.type, isDefault: Boolean(Number(r.is_default)) }));
}

const WORDS: Record<string, string[]> = {
  warehouse: ['warehouse', 'depot', 'stock room', 'stockroom', 'storeroom', 'back room', 'back store'],
  store: ['shop', 'store', 'shop floor', 'main store', 'front store'],
};

/** The location a phrase names: its code or name, else the only one of the type the word implies, else the nearest name (fuzzy). */
export function matchLocation(phrase: string, places: Place[]): Place | undefined {
  const p = phrase.trim().toLowerCase();
  const exact = places.find((l) => l.code.toLowerCase() === p || l.name.toLowerCase() === p);
  if (exact) return exact;
  // A word for a kind of place ("back store", "stock room") names the only place of that kind, before any near spelling does.
  for (const [type, words] of Object.entries(WORDS)) {
    if (!words.some((w) => p.includes(w))) continue;
    const ofType = places.filter((l) => l.type === type || l.name.toLowerCase().includes(type));
    if (ofType.length === 1) return ofType[0];
  }
  return new Fuse(places, { keys: ['name', 'code'], threshold: 0.3, ignoreLocation: true }).search(p)[0]?.item;
}

const Level = z.object({ code: z.string(), name: z.string(), quantity: z.number() });

export const stockByLocation = defineTool({
  name: 'stock_by_location',
  description:
    'Stock per location: units and value at cost at every active location, what is in transit between them (shipped, not yet received), ' +
    'and, when asked, one product per location (found by name or SKU) or the products held at one location (found by code or name).',
  args: z.object({
    product: z.string().trim().min(1).max(100).optional().describe('Product name, part of it, or SKU'),
    location: z.string().trim().min(1).max(100).optional().describe('Location code or name, or a word such as "warehouse" or "shop"'),
  }),
  result: z.object({
    locations: z.array(z.object({ locationId: z.number(), code: z.string(), name: z.string(), units: z.number(), value: z.number() })),
    inTransit: z.object({ units: z.number(), value: z.number(), lines: z.array(z.object({ transferId: z.number(), sku: z.string(), name: z.string(), units: z.number(), from: z.string(), to: z.string() })) }),
    location: z.object({ query: z.string(), found: z.boolean(), code: z.string().nullable(), name: z.string().nullable(), products: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number() })) }).nullable(),
    product: z
      .object({ query: z.string(), found: z.boolean(), sku: z.string().nullable(), name: z.string().nullable(), total: z.number(), inTransit: z.number(), levels: z.array(Level) })
      .nullable(),
  }),
  async run(args) {
    const [places, totals, road] = await Promise.all([
      activeLocations(),
      stockValueByLocation(),
      select<{ transfer_id: number; sku: string; name: string; units: unknown; from_code: string; to_code: string }>(
        `SELECT t.id AS transfer_id, p.sku, p.name, tl.shipped - tl.received AS units, f.code AS from_code, d.code AS to_code
           FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id JOIN products p ON p.id = tl.product_id
           JOIN locations f ON f.id = t.from_location_id JOIN locations d ON d.id = t.to_location_id
          WHERE t.status IN ('in_transit', 'partially_received') AND tl.shipped > tl.received ORDER BY t.id, p.name`,
      ),
    ]);
    const lines = road.map((r) => ({ transferId: Number(r.transfer_id), sku: r.sku, name: r.name, units: Number(r.units), from: r.from_code, to: r.to_code }));

    let location = null;
    if (args.location && !/transit|on the way/i.test(args.location)) {
      const place = matchLocation(args.location, places);
      const held = place
        ? await select<{ sku: string; name: string; quantity: number }>(
            `SELECT p.sku, p.name, s.quantity FROM stock_levels s JOIN products p ON p.id = s.product_id
              WHERE s.location_id = :locationId AND s.quantity > 0 AND p.archived_at IS NULL ORDER BY s.quantity DESC, p.name LIMIT 10`,
            { locationId: place.locationId },
          )
        : [];
      location = { query: args.location, found: Boolean(place), code: place?.code ?? null, name: place?.name ?? null, products: held.map((h) => ({ sku: h.sku, name: h.name, quantity: Number(h.quantity) })) };
    }

    let product = null;
    if (args.product) {
      const match = (await findProduct(args.product)).product;
      const stock = match ? await productStock(match.id) : undefined;
      product = {
        query: args.product,
        found: Boolean(match),
        sku: match?.sku ?? null,
        name: match?.name ?? null,
        total: stock?.total ?? 0,
        inTransit: stock?.inTransit ?? 0,
        levels: stock?.locations.map((l) => ({ code: l.code, name: l.name, quantity: l.quantity })) ?? [],
      };
    }

    return {
      locations: totals.locations,
      inTransit: { ...totals.inTransit, lines },
      location,
      product,
    };
  },
});
