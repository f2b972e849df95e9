import type { z } from 'zod';
import type { revenueByCategory, salesSummary, topProducts } from './sales.tools.js';
import type { lowStock, productStock, stockValuation } from './stock.tools.js';
import type { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import type { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';

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

export function topProductsAnswer(r: Out<typeof topProducts>, f: Fmt, stock?: Out<typeof productStock>['product']): string {
  const [first, ...rest] = r.products;
  if (!first) return `No sales were recorded ${r.period.label}.`;
  const lead =
    r.by === 'revenue'
      ? `${first.name} brought in the most revenue ${r.period.label}: ${f.money(first.revenue)} from ${f.int(first.units)} ${plural(first.units, 'unit')}, your top performer.`
      : `${first.name} sold ${f.int(first.units)} ${plural(first.units, 'unit')} ${r.period.label} (revenue ${f.money(first.revenue)}), your top performer.`;
  const next = rest.length
    ? ` Next: ${list(rest.map((p) => (r.by === 'revenue' ? `${p.name} (${f.money(p.revenue)})` : `${p.name} (${f.int(p.units)} ${plural(p.units, 'unit')})`)))}.`
    : '';
  const advice = stock ? ` ${restockAdvice(stock, f)}` : '';
  return `${lead}${next}${advice}`;
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

export function purchasesAnswer(r: Out<typeof purchasesInPeriod>, f: Fmt): string {
  if (!r.count) return `No purchases were recorded ${r.period.label}.`;
  const top = r.bySupplier[0];
  return `${f.int(r.count)} ${plural(r.count, 'purchase')} ${r.period.label} for ${f.money(r.cost)} (${f.int(r.units)} units; ${f.int(r.received)} received, ${f.int(r.open)} still open). Biggest supplier: ${top.name} (${f.money(top.cost)}).`;
}
