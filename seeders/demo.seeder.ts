import { withRollupsDeferred } from '../src/modules/analytics/sales-rollups.js';
import { Supplier } from '../src/modules/suppliers/supplier.model.js';
import { Product } from '../src/modules/products/product.model.js';
import { createProduct, type ProductJson } from '../src/modules/products/product.service.js';
import { Setting } from '../src/modules/settings/setting.model.js';
import { User } from '../src/modules/users/user.model.js';
import { checkStockAlerts } from '../src/modules/inventory/stock-alert.service.js';
import { now as clockNow } from '../src/shared/clock.js';
import { SeedHistory } from './demo.writers.js';
import { getSettings } from '../src/modules/settings/settings.service.js';
import { defaultLocation } from '../src/modules/locations/location.service.js';
import { demoShopperHash, seedStorefront } from './storefront.seeder.js';
import { seedLocations } from './locations.seeder.js';
import { SUPPLIERS } from './data/suppliers.js';
import { PRODUCTS } from './data/products.js';
import { randomFor } from './data/random.js';

const DAY = 24 * 60 * 60 * 1000;
export const DEMO_HISTORY_DAYS = 182;
/** Customers buy a product on about a third of days, in larger lots: realistic, and fewer invoices to replay. */
const BUY_DAY_SHARE = 0.35;

/** Products whose reorders stop a month before today, so the demo has stock at risk. */
const NEGLECTED = new Set(['Router A1', 'Hand Sanitizer 500ml', 'Ergonomic Office Chair', 'Cat6 Patch Cable 2m', 'Smart Bulb E27']);

/**
 * Demo data: suppliers, products, then six months of sales and purchases
 * played day by day in memory, priced, numbered and stocked with the sale,
 * purchase and inventory services' own rules, and written in bulk
 * (SeedHistory), so stock and the ledger agree, then the shop's places (a warehouse with a transfer and a
 * posted count, a stall with goods in transit). Deterministic (fixed random seed) and idempotent. It ends
 * with the stock alerts that the final stock implies, raised and mailed.
 */
export async function seedDemoData(now = clockNow()): Promise<{ sales: number; purchases: number }> {
  if ((await Product.count()) > 0) return { sales: 0, purchases: 0 };
  const random = randomFor('stockpilot-demo');
  const admin = await User.findOne({ where: { role: 'admin' }, order: [['id', 'ASC']] });
  const userId = admin?.id ?? null;
  const start = new Date(now.getTime() - DEMO_HISTORY_DAYS * DAY);
  // The shoppers' password hash (bcrypt, on a worker thread) is made while the history is written.
  const shopperHash = demoShopperHash();
  shopperHash.catch(() => undefined);

  // One transaction; the sales rollups are built once from what it wrote.
  const seeded = await withRollupsDeferred(async () => {
    await Setting.findOrCreate({ where: { key: 'taxRate' }, defaults: { key: 'taxRate', value: 8.25 }});
    await Setting.findOrCreate({ where: { key: 'companyName' }, defaults: { key: 'companyName', value: 'Acme Office Supplies' }});

    const suppliers = [];
    for (const s of SUPPLIERS) {
      const [supplier] = await Supplier.findOrCreate({ where: { name: s.name }, defaults: s});
      suppliers.push(supplier);
    }

    const products = [];
    for (const seed of PRODUCTS) {
      const product = await createProduct(
        {
          name: seed.name,
          description: seed.description,
          category: seed.category,
          price: seed.price,
          costPrice: seed.costPrice,
          lowStockThreshold: seed.lowStockThreshold ?? 10,
          reorderQuantity: seed.reorderQuantity ?? null,
          supplierId: suppliers[seed.supplier].id,
          unit: seed.unit ?? 'pcs',
        },
        { id: userId },
        { at: start },
      );
      products.push({ product, seed, stock: 0, onOrder: 0 });
    }

    // The history is recorded in memory through the services' rules and written at once, before the places.
    const history = new SeedHistory({ id: userId }, await getSettings(), (await defaultLocation()).id);
    // Opening stock: about five weeks of demand, recorded as initial movements.
    for (const p of products) {
      const opening = Math.max(8, Math.round(p.seed.dailyDemand * 35 + random() * 10));
      history.stock([{ productId: p.product.id, delta: opening }], { reason: 'initial', userId, note: 'Opening stock', at: start });
      p.stock = opening;
    }

    const arrivals: { day: number; supplierId: number; lines: { product: ProductJson; quantity: number; unitCost: number }[] }[] = [];
    let sales = 0;
    let purchases = 0;
    for (let day = 1; day < DEMO_HISTORY_DAYS; day++) {
      const date = new Date(start.getTime() + day * DAY);
      const weekday = date.getUTCDay();
      const busy = weekday === 0 ? 0.4 : weekday === 6 ? 0.7 : 1;

      for (const arrival of arrivals.filter((a) => a.day === day)) {
        history.purchase(arrival.supplierId, arrival.lines, new Date(date.getTime() + 8 * 60 * 60 * 1000));
        for (const line of arrival.lines) {
          const p = products.find((x) => x.product.id === line.product.id)!;
          p.stock += line.quantity;
          p.onOrder -= line.quantity;
        }
        purchases++;
      }

      // Demand for the day, split into customer sales of two to five lines.
      const wanted = products
        .map((p) => ({ p, units: random() < BUY_DAY_SHARE ? poisson(random, (p.seed.dailyDemand * busy) / BUY_DAY_SHARE) : 0 }))
        .filter((w) => w.units > 0 && w.p.stock > 0);
      while (wanted.length) {
        const size = Math.min(wanted.length, 2 + Math.floor(random() * 4));
        const lines = wanted.splice(Math.floor(random() * (wanted.length - size + 1)), size);
        const items = lines
          .map(({ p, units }) => ({ p, quantity: Math.min(units, p.stock) }))
          .filter((l) => l.quantity > 0);
        if (!items.length) continue;
        const at = new Date(date.getTime() + (9 + Math.floor(random() * 9)) * 60 * 60 * 1000 + Math.floor(random() * 3600) * 1000);
        history.sale(items.map((l) => ({ product: l.p.product, quantity: l.quantity })), at);
        for (const l of items) l.p.stock -= l.quantity;
        sales++;
      }

      // Reorder what fell to its threshold, per supplier, arriving after the lead time.
      const daysLeft = DEMO_HISTORY_DAYS - day;
      const bySupplier = new Map<number, { product: ProductJson; quantity: number; unitCost: number }[]>();
      for (const p of products) {
        const threshold = p.product.lowStockThreshold ?? 10;
        if (p.seed.dailyDemand === 0 || p.onOrder > 0 || p.stock > threshold) continue;
        if (NEGLECTED.has(p.seed.name) && daysLeft < 30) continue;
        const quantity = p.product.reorderQuantity ?? Math.max(10, Math.round(p.seed.dailyDemand * 30));
        p.onOrder += quantity;
        const list = bySupplier.get(p.product.supplierId!) ?? [];
        list.push({ product: p.product, quantity, unitCost: p.seed.costPrice });
        bySupplier.set(p.product.supplierId!, list);
      }
      for (const [supplierId, lines] of bySupplier) {
        const lead = suppliers.find((s) => s.id === supplierId)!.leadTimeDays;
        arrivals.push({ day: day + lead, supplierId, lines });
      }
    }
    // Orders placed but not yet arrived stay open ("on order").
    for (const arrival of arrivals.filter((a) => a.day >= DEMO_HISTORY_DAYS)) {
      history.purchase(arrival.supplierId, arrival.lines, new Date(now.getTime() - DAY), false);
      purchases++;
    }
    await history.write();
    await seedLocations(products.map((p) => ({ productId: p.product.id, stock: p.stock })), { id: userId, role: admin?.role }, now);
    await seedStorefront(now, shopperHash);
    return { sales, purchases };
  });
  await checkStockAlerts();
  return seeded;
}

function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}
