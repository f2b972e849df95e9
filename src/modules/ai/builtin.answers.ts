import type { z } from 'zod';
import type { productSales, revenueByCategory, revenueBySupplier, salesSummary, topProducts } from './sales.tools.js';
import type { lowStock, productCount, productStock, stockRunout, stockValuation } from './stock.tools.js';
import type { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import type { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';
import type { stockByLocation } from './location.tools.js';

/**
 * Templated sentences over tool results. Every number printed here is read
 * from a result; stored text (product and supplier names) is quoted as data.
 */
type Out<T extends { result: z.ZodType }> = z.output<T['result']>;

export interface Fmt {
  money(n: number): string;
  int(n: number): string;
}

export function formatter(currency: string): Fmt {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return { money: (n) => money.format(n), int: (n) => int.format(n) };
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

export function restockAdvice(stock: Out<typeof productStock>['product'], f: Fmt): string {
  if (!stock) return '';
  if (stock.stock <= 0) return 'It is out of stock: reorder now.';
  if (stock.daysOfCover === null) return `${f.int(stock.stock)} units are in stock and none sold in the last 30 days.`;
  const pace = `At ${f.int(stock.stock)} units left and ~${f.int(stock.dailySalesRate)}/day`;
  if (stock.daysOfCover < 1) return `${pace}, it runs out within a day: restock now.`;
  if (stock.daysOfCover <= 14) return `${pace}, restock within ${f.int(stock.daysOfCover)} days.`;
  return `${pace}, stock covers about ${f.int(stock.daysOfCover)} days.`;
}

const METRIC_WORDS = { units: 'units sold', revenue: 'revenue', margin: 'gross margin' } as const;

export function topProductsAnswer(r: Out<typeof topProducts>, f: Fmt, stock?: Out<typeof productStock>['product']): string {
  const [first, ...rest] = r.products;
  const scope = r.category ? ` in ${r.category}` : '';
  if (!first) return `No ${r.category ? `${r.category} ` : ''}sales were recorded ${r.period.label}.`;
  const figure = (p: typeof first) => (r.by === 'units' ? `${f.int(p.units)} ${plural(p.units, 'unit')}` : f.money(p[r.by]));
  let lead: string;
  if (r.direction === 'bottom') {
    lead = `Weakest by ${METRIC_WORDS[r.by]}${scope} ${r.period.label}: ${first.name} with ${figure(first)}${r.by === 'units' ? '' : ` (${f.int(first.units)} ${plural(first.units, 'unit')})`}.`;
  } else if (r.by === 'revenue') {
    lead = `${first.name} brought in the most revenue${scope} ${r.period.label}: ${f.money(first.revenue)} from ${f.int(first.units)} ${plural(first.units, 'unit')}, your top performer.`;
  } else if (r.by === 'margin') {
    lead = `${first.name} earned the highest gross margin${scope} ${r.period.label}: ${f.money(first.margin)} (revenue ${f.money(first.revenue)} from ${f.int(first.units)} ${plural(first.units, 'unit')}).`;
  } else {
    lead = `${first.name} sold ${f.int(first.units)} ${plural(first.units, 'unit')}${scope} ${r.period.label} (revenue ${f.money(first.revenue)}), your top performer.`;
  }
  const next = rest.length ? ` ${r.direction === 'bottom' ? 'Then' : 'Next'}: ${list(rest.map((p) => `${p.name} (${figure(p)})`))}.` : '';
  const advice = stock ? ` ${restockAdvice(stock, f)}` : r.direction === 'bottom' ? ' Consider a promotion or stop reordering the weakest.' : '';
  return `${lead}${next}${advice}`;
}

export function productSalesAnswer(r: Out<typeof productSales>, f: Fmt): string {
  if (!r.found) return `I could not find an active product matching "${r.query}". Try its exact name or SKU.`;
  if (!r.units) return `${r.name} (${r.sku}) did not sell ${r.period.label}: 0 units.`;
  return `${r.name} (${r.sku}) sold ${f.int(r.units)} ${plural(r.units, 'unit')} ${r.period.label} in ${f.int(r.sales)} ${plural(r.sales, 'sale')}, for ${f.money(r.revenue)} of revenue (tax included).`;
}

export function supplierRevenueAnswer(r: Out<typeof revenueBySupplier>, f: Fmt): string {
  if (!r.suppliers.length) return `No sales were recorded ${r.period.label}.`;
  const parts = r.suppliers.slice(0, 5).map((s) => `${s.name} ${f.money(s.revenue)} (${f.int(s.sharePct)}%)`);
  return `Revenue by supplier of the products sold ${r.period.label}: ${list(parts)}; ${f.money(r.total)} in total. ${r.suppliers[0].name}'s products sell best.`;
}

export function productCountAnswer(r: Out<typeof productCount>, f: Fmt): string {
  const scope = r.category ? ` in ${r.category}` : '';
  const head = `You carry ${f.int(r.total)} active ${plural(r.total, 'product')}${scope}: ${f.int(r.inStock)} in stock and ${f.int(r.outOfStock)} out of stock.`;
  if (r.category) return head;
  return `${head} By category: ${list(r.categories.map((c) => `${c.category} ${f.int(c.products)}`))}.`;
}

export function daysOfCoverAnswer(r: Out<typeof productStock>, f: Fmt): string {
  const p = r.product;
  if (!p) return productStockAnswer(r, f);
  const closest = r.matchType === 'fuzzy' || r.matchType === 'tokens' ? `Closest match for "${r.query}": ` : '';
  const head = `${closest}${p.name} (${p.sku}) has ${f.int(p.stock)} ${plural(p.stock, 'unit')} in stock`;
  if (p.stock <= 0) return `${head}: it has already run out. Reorder now.`;
  if (p.daysOfCover === null) return `${head} and sold nothing in the last 30 days, so at the current pace it will not run out.`;
  return `${head} and sells about ${f.int(p.dailySalesRate)} a day (last 30 days): that covers ${f.int(p.daysOfCover)} ${plural(p.daysOfCover, 'day')}.${p.daysOfCover <= 14 ? ' Reorder soon.' : ''}`;
}

export function runoutAnswer(r: Out<typeof stockRunout>, f: Fmt): string {
  if (!r.products.length) return 'Nothing in stock is selling fast enough to run out: no product sold in the last 30 days.';
  const shown = r.products.map((p) => `${p.name} (${f.int(p.stock)} left, ~${f.int(p.dailySalesRate)}/day, ${f.int(p.daysOfCover ?? 0)} ${plural(p.daysOfCover ?? 0, 'day')})`);
  return `First to run out at the last 30 days' pace: ${list(shown)}. Ask "what should I reorder?" for quantities.`;
}

export function outOfStockAnswer(r: Out<typeof lowStock>, f: Fmt): string {
  const out = r.products.filter((p) => p.status === 'out');
  if (!r.outOfStockCount) return `Nothing is out of stock right now${r.lowCount ? `; ${f.int(r.lowCount)} ${plural(r.lowCount, 'product is', 'products are')} running low` : ''}.`;
  return `${f.int(r.outOfStockCount)} ${plural(r.outOfStockCount, 'product is', 'products are')} out of stock: ${list(out.slice(0, 10).map((p) => p.name))}. Another ${f.int(r.lowCount)} ${plural(r.lowCount, 'is', 'are')} running low.`;
}

export function deadStockAnswer(r: Out<typeof slowMovers>, f: Fmt): string {
  if (!r.deadStock.length) return `No dead stock: everything in stock sold at least once in the last ${f.int(r.days)} days.`;
  const dead = r.deadStock.slice(0, 6).map((p) => `${p.name} (${f.int(p.stock)} units, ${f.money(p.stockValueAtCost)} at cost)`);
  return `Dead stock, nothing sold in the last ${f.int(r.days)} days: ${list(dead)}; ${f.money(r.deadStockValue)} tied up in total. Consider a clearance price and stop reordering them.`;
}

export function comparisonAnswer(r: Out<typeof salesSummary>, f: Fmt): string {
  const { current, previous, change } = r;
  const now = `Revenue ${r.period.label} is ${f.money(current.revenue)} from ${f.int(current.count)} ${plural(current.count, 'sale')}`;
  const before = `against ${f.money(previous.revenue)} from ${f.int(previous.count)} ${plural(previous.count, 'sale')} ${r.previousPeriod.label}`;
  if (change.revenuePct === null) return `${now}, ${before}: there is nothing to compare with.`;
  const verdict = change.revenuePct > 0 ? `better: up ${f.int(change.revenuePct)}%` : change.revenuePct < 0 ? `worse: down ${f.int(Math.abs(change.revenuePct))}%` : 'the same';
  const units = change.unitsPct === null ? '' : ` Units ${change.unitsPct >= 0 ? 'up' : 'down'} ${f.int(Math.abs(change.unitsPct))}% (${f.int(current.units)} vs ${f.int(previous.units)}).`;
  return `${now}, ${before}: ${verdict}.${units}`;
}

export function categoryValuationAnswer(r: Out<typeof stockValuation>, category: string, f: Fmt): string {
  const c = r.categories.find((x) => x.category.toLowerCase() === category.toLowerCase());
  if (!c) return `There is no stock in a category called "${category}".`;
  return `${c.category} stock (${f.int(c.units)} units) is worth ${f.money(c.atCost)} at cost and ${f.money(c.atPrice)} at selling price, out of ${f.money(r.atCost)} at cost for all stock.`;
}

export function categorySalesAnswer(r: Out<typeof revenueByCategory>, category: string, f: Fmt): string {
  const c = r.categories.find((x) => x.category.toLowerCase() === category.toLowerCase());
  if (!c) return `No ${category} sales were recorded ${r.period.label}.`;
  return `${c.category} brought in ${f.money(c.revenue)} ${r.period.label} from ${f.int(c.units)} ${plural(c.units, 'unit')}, ${f.int(c.sharePct)}% of all revenue (${f.money(r.total)}).`;
}

export function salesSummaryAnswer(r: Out<typeof salesSummary>, f: Fmt): string {
  const { current, previous, change } = r;
  const head = `Revenue ${r.period.label} is ${f.money(current.revenue)} from ${f.int(current.count)} ${plural(current.count, 'sale')} (${f.int(current.units)} ${plural(current.units, 'unit')}).`;
  if (change.revenuePct === null) return `${head} There were no sales in ${r.previousPeriod.label} to compare with.`;
  const dir = change.revenuePct > 0 ? 'up' : change.revenuePct < 0 ? 'down' : 'flat';
  const pct = dir === 'flat' ? '' : ` ${f.int(Math.abs(change.revenuePct))}%`;
  const cmp = ` That is ${dir}${pct} on ${r.previousPeriod.label} (${f.money(previous.revenue)} from ${f.int(previous.count)} ${plural(previous.count, 'sale')}).`;
  const advice = change.revenuePct <= -10 ? ' Sales are slipping: check what is out of stock and which products stopped selling.' : change.revenuePct >= 10 ? ' Sales are growing: make sure the best sellers stay in stock.' : '';
  return head + cmp + advice;
}

export function categoryAnswer(r: Out<typeof revenueByCategory>, f: Fmt): string {
  if (!r.categories.length) return `No sales were recorded ${r.period.label}.`;
  const parts = r.categories.slice(0, 6).map((c) => `${c.category} ${f.money(c.revenue)} (${f.int(c.sharePct)}%)`);
  return `Revenue by category ${r.period.label}: ${list(parts)}; ${f.money(r.total)} in total. ${r.categories[0].category} leads.`;
}

export function productStockAnswer(r: Out<typeof productStock>, f: Fmt): string {
  const p = r.product;
  if (!p) return `I could not find an active product matching "${r.query}". Try its exact name or SKU.`;
  const closest = r.matchType === 'fuzzy' || r.matchType === 'tokens' ? `Closest match for "${r.query}": ` : '';
  const status = p.status === 'low' ? ' It is at or below its low-stock threshold: reorder soon.' : '';
  const pace = p.stock > 0 ? ` ${restockAdvice(p, f)}` : ' It is out of stock: reorder now.';
  return `${closest}${p.name} (${p.sku}) has ${f.int(p.stock)} ${plural(p.stock, 'unit')} in stock (low-stock threshold ${f.int(p.threshold)}).${pace}${status}`;
}

export function lowStockAnswer(r: Out<typeof lowStock>, f: Fmt): string {
  if (!r.products.length) return 'Nothing is low on stock: every active product is above its threshold.';
  const shown = r.products.slice(0, 6).map((p) => (p.stock <= 0 ? `${p.name} (out of stock)` : `${p.name} (${f.int(p.stock)} left, threshold ${f.int(p.threshold)})`));
  return `${f.int(r.outOfStockCount)} ${plural(r.outOfStockCount, 'product is', 'products are')} out of stock and ${f.int(r.lowCount)} ${plural(r.lowCount, 'is', 'are')} running low: ${list(shown)}. Ask "what should I reorder?" for quantities.`;
}

export function reorderAnswer(r: Out<typeof reorderRecommendations>, f: Fmt): string {
  if (!r.recommendations.length) return 'Nothing needs reordering right now: stock and open orders cover the expected demand.';
  const shown = r.recommendations.slice(0, 6).map((x) => `${x.name}: order ${f.int(x.recommendedQuantity)} (${f.int(x.stock)} in stock, ~${f.int(x.dailySalesRate)}/day${x.supplierName ? `, ${x.supplierName} delivers in ${f.int(x.leadTimeDays)} days` : ''})`);
  const more = r.recommendations.length > shown.length ? `; the ${shown.length} most urgent` : ', most urgent first';
  return `Reorder ${f.int(r.recommendations.length)} ${plural(r.recommendations.length, 'product')}${more}: ${shown.join('; ')}.`;
}

export function slowMoversAnswer(r: Out<typeof slowMovers>, f: Fmt): string {
  if (!r.deadStock.length && !r.slowMovers.length) return `No dead stock or slow movers: everything in stock sold more than ${f.int(r.maxUnits)} units in the last ${f.int(r.days)} days.`;
  const parts: string[] = [];
  if (r.deadStock.length) {
    const dead = r.deadStock.slice(0, 5).map((p) => `${p.name} (${f.int(p.stock)} units, ${f.money(p.stockValueAtCost)} at cost)`);
    parts.push(`Dead stock, nothing sold in ${f.int(r.days)} days: ${list(dead)}; ${f.money(r.deadStockValue)} tied up in total.`);
  }
  if (r.slowMovers.length) {
    const slow = r.slowMovers.slice(0, 5).map((p) => `${p.name} (${f.int(p.unitsSold)} sold, ${f.int(p.stock)} in stock)`);
    parts.push(`Slow movers, at most ${f.int(r.maxUnits)} units in ${f.int(r.days)} days: ${list(slow)}.`);
  }
  parts.push('Consider a discount or bundle for these and pause reordering them.');
  return parts.join(' ');
}

export function valuationAnswer(r: Out<typeof stockValuation>, f: Fmt): string {
  const top = r.categories[0];
  const margin = Math.round((r.atPrice - r.atCost) * 100) / 100;
  const lead = top ? ` The largest share is ${top.category} (${f.money(top.atCost)} at cost).` : '';
  return `Stock on hand (${f.int(r.totalUnits)} units) is worth ${f.money(r.atCost)} at cost and ${f.money(r.atPrice)} at selling price, a potential gross margin of ${f.money(margin)}.${lead}`;
}

export function supplierAnswer(r: Out<typeof supplierPerformance>, f: Fmt): string {
  const active = r.suppliers.filter((s) => s.purchases > 0);
  const shown = active.slice(0, 5).map((s) => `${s.name} ${f.money(s.spend)} (${f.int(s.purchases)} ${plural(s.purchases, 'purchase')}, lead time ${f.int(s.leadTimeDays)} days${s.actualLeadTimeDays !== null ? `, actual ~${f.int(s.actualLeadTimeDays)} days` : ''})`);
  const head = active.length ? `Supplier spend ${r.period.label}: ${list(shown)}.` : `No purchases from suppliers ${r.period.label}.`;
  const slowest = [...r.suppliers].sort((a, b) => b.leadTimeDays - a.leadTimeDays)[0];
  const advice = slowest ? ` Longest lead time: ${slowest.name} (${f.int(slowest.leadTimeDays)} days), so order from them earliest.` : '';
  return head + advice;
}

export function purchasesAnswer(r: Out<typeof purchasesInPeriod>, f: Fmt, askedSupplier?: string): string {
  if (askedSupplier && !r.supplier) return `I could not find a supplier called "${askedSupplier}".`;
  const from = r.supplier ? ` from ${r.supplier.name}` : '';
  if (!r.count) return `No purchases${from} were recorded ${r.period.label}.`;
  const top = r.bySupplier[0];
  const biggest = r.supplier ? '' : ` Biggest supplier: ${top.name} (${f.money(top.cost)}).`;
  return `${f.int(r.count)} ${plural(r.count, 'purchase')}${from} ${r.period.label} for ${f.money(r.cost)} in total (${f.int(r.units)} units; ${f.int(r.received)} received, ${f.int(r.open)} still open).${biggest}`;
}

/** Stock per place: one product across locations, one location's contents, what is on the road, or the overview. */
export function locationStockAnswer(r: Out<typeof stockByLocation>, f: Fmt, asked: { transit: boolean }): string {
  const places = r.locations.map((l) => `${l.name} (${l.code}) ${f.int(l.units)} ${plural(l.units, 'unit')}, ${f.money(l.value)} at cost`);
  const road = r.inTransit.units
    ? `${f.int(r.inTransit.units)} ${plural(r.inTransit.units, 'unit is', 'units are')} in transit (${f.money(r.inTransit.value)} at cost): ${list(r.inTransit.lines.slice(0, 8).map((l) => `${f.int(l.units)} ${l.name} from ${l.from} to ${l.to}`))}.`
    : 'Nothing is in transit between locations.';
  if (r.product) {
    const p = r.product;
    if (!p.found) return `I could not find an active product matching "${p.query}". Try its exact name or SKU.`;
    const at = r.location?.found ? p.levels.find((l) => l.code === r.location!.code) : undefined;
    const spread = list(p.levels.map((l) => `${f.int(l.quantity)} at ${l.name} (${l.code})`));
    const moving = p.inTransit ? ` Another ${f.int(p.inTransit)} ${plural(p.inTransit, 'is', 'are')} in transit.` : '';
    const head = at ? `${p.name} (${p.sku}): ${f.int(at.quantity)} ${plural(at.quantity, 'unit')} at ${at.name} (${at.code}). ` : '';
    const unknown = r.location && !r.location.found ? `I know no location called "${r.location.query}". ` : '';
    return `${unknown}${head}${at ? 'Across locations' : `${p.name} (${p.sku})`}: ${f.int(p.total)} on hand, ${spread}.${moving}`;
  }
  if (asked.transit) return road;
  if (r.location) {
    if (!r.location.found) return `I know no location called "${r.location.query}". The locations are ${list(r.locations.map((l) => `${l.name} (${l.code})`))}. ${places.length ? `Stock: ${list(places)}.` : ''}`;
    const here = r.locations.find((l) => l.code === r.location!.code)!;
    const top = r.location.products.map((p) => `${p.name} ${f.int(p.quantity)}`);
    return `${here.name} (${here.code}) holds ${f.int(here.units)} ${plural(here.units, 'unit')} worth ${f.money(here.value)} at cost${top.length ? `; the most: ${list(top)}` : ''}.`;
  }
  return `Stock by location: ${list(places)}. ${road}`;
}
