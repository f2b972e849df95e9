import { select, type Tool, type ToolContext } from './tool.js';
import { wallTime } from '../../shared/time-zone.js';
import { ReadCache } from '../../shared/read-cache.js';
import { Product } from '../products/product.model.js';
import { Supplier } from '../suppliers/supplier.model.js';
import { Location } from '../locations/location.model.js';
import type { PeriodInput } from './periods.js';
import { productSales, revenueByCategory, revenueBySupplier, salesSummary, topProducts } from './sales.tools.js';
import { productNames, watchProductNames, lowStock, productCount, productStock, stockRunout, stockValuation } from './stock.tools.js';
import { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';
import { activeLocations, stockByLocation } from './location.tools.js';
import { understandEntities, type Catalog, type Entities } from './nlu/entities.js';
import { classify } from './nlu/classifier.js';
import type { Intent } from './nlu/corpus.js';
import * as say from './builtin.answers.js';

export interface AnalystAnswer {
  response: string;
  data: Record<string, unknown>;
  source: 'builtin' | 'openai';
  tools: string[];
  fallbackReason?: string;
  /** What the built-in analyst understood: the intent and the entities its answer used. */
  intent?: Intent;
  entities?: PublicEntities;
  /** Follow-up questions the analyst can answer, from this answer. */
  suggestions?: string[];
}

/** Entities as the answer reports them: plain names and a period string ("this_month", "custom:2026-03-03..2026-06-17"). */
export interface PublicEntities {
  period?: string;
  metric?: string;
  direction?: string;
  limit?: number;
  days?: number;
  product?: string;
  category?: string;
  supplier?: string;
  location?: string;
}

/** What the built-in analyst understands; the honest reply to anything else (it names no numbers). */
export const CAPABILITIES =
  "I can only answer from the store's own data, and that question is outside what I can look up. I can tell you: " +
  'the best and worst sellers by units, revenue or margin; revenue, sales and units for any period, and how they compare with the period before; sales by category or by supplier; ' +
  'how many products you carry; the stock of a product by name or SKU and when it will run out; what is low or out of stock; what to reorder; slow movers and dead stock; ' +
  'the value of the stock; purchases and supplier spend and lead times. ' +
  'Name a period such as today, yesterday, this or last week or month, the last few days, since a date, a month such as "in April", or explicit dates (YYYY-MM-DD).';

const GENERAL_SUGGESTIONS = ['Which product brought in the most revenue this month?', 'How does this month compare to last month?', 'What should I reorder?', 'How much money do we have tied up in stock?'];

/** Intents whose answer is about a period (this month unless the question names one). */
const PERIODIC = new Set<Intent>(['top_products', 'sales_total', 'sales_comparison', 'sales_by_category', 'sales_by_supplier', 'purchases', 'supplier_performance']);

/**
 * The names the analyst matches questions against (products, categories,
 * suppliers, places), and with them their search index: kept until a product,
 * supplier or location write on any instance (the shared generation, see
 * ReadCache), since reading and indexing 100,000 names costs about a second per
 * question. Stock is not part of it: sales leave it valid.
 */
const catalogCache = new ReadCache<Catalog>({ name: 'aiCatalog', max: 1, ttlMs: 10 * 60_000 });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchCatalogWrites(): void {
  watchProductNames();
  catalogCache.clear();
  catalogCache.watch(Product, Supplier, Location);
}

function catalogOf(): Promise<Catalog> {
  return catalogCache.get('catalog', async () => {
    const [products, suppliers, locations] = await Promise.all([productNames(), select<{ id: number; name: string }>('SELECT id, name FROM suppliers ORDER BY id'), activeLocations()]);
    return {
      products,
      categories: [...new Set(products.map((p) => p.category))],
      suppliers: suppliers.map((s) => ({ id: Number(s.id), name: String(s.name) })),
      locations: locations.map((l) => ({ code: l.code, name: l.name })),
    };
  });
}

export interface Understood {
  intent: Intent;
  score: number;
  entities: Entities;
  /** The question asks to change something: the analyst only reads the data. */
  command?: boolean;
}

/** Classifies the question (entities masked) and reads its entities. */
export async function understand(question: string, ctx: ToolContext, catalog?: Catalog): Promise<Understood> {
  const { entities, masked, periodIsBaseline } = understandEntities(question, catalog ?? (await catalogOf()), ctx.now, ctx.settings.timezone);
  const classified = await classify(masked);
  const { score } = classified;
  const command = COMMAND.test(masked);
  const aboutPeople = PEOPLE.test(masked);
  const intent = command || aboutPeople ? 'none' : bySlots(classified.intent, entities, masked);
  // "Are we doing better than last month?" compares this month with last month.
  if (intent === 'sales_comparison' && periodIsBaseline && entities.period?.period) {
    const after: Partial<Record<string, PeriodInput['period']>> = { last_month: 'this_month', last_week: 'this_week', yesterday: 'today' };
    const next = after[entities.period.period];
    if (next) entities.period = { period: next };
    else if (entities.period.period === 'custom' && entities.period.from?.endsWith('-01-01') && entities.period.to?.endsWith('-12-31')) entities.period = { period: 'this_year' };
  }
  // "How does June compare to May so far?": this month to date, against the same days of last month.
  if (intent === 'sales_comparison' && entities.period?.period === 'custom') {
    const w = wallTime(ctx.now, ctx.settings.timezone);
    const day = (m: number, d: number) => `${w.y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (entities.period.to === day(w.m, w.d) && entities.period.from === day(w.m, 1)) entities.period = { period: 'this_month' };
  }
  return { intent, score, entities, ...(command ? { command } : {}) };
}

/** An instruction to change something ("order 50 routers", "delete ...", "email the report"): the analyst only reads. */
const COMMAND = /^(?:please |can you |could you |would you |go and )?(?:order (?:num|itemname|some|more)|delete|remove|add (?!up)|create|change|update|set (?!of)|cancel|send|e ?mail|print|apply|raise|lower|increase|decrease|transfer|book|schedule)\b/;

/** "Which customers spent the most?", "who is our best employee?": the data names no people. */
const PEOPLE = /\b(?:which|who (?:is|are|was|were)(?: our| the)?) (?:(?:best|top|biggest|loyal|new|regular|most \w+) )?(?:customers?|shoppers?|buyers?|clients?|staff|employees?|workers?)\b/;

/**
 * The intent the entities say when the classifier's guess cannot use them:
 * a ranking word ("best", "least") with sales or purchases asks for a
 * ranking; a stock question naming a category and no product asks how many
 * products it has, a count naming one product how many of it there are; a
 * stock question ranking by money is a product ranking.
 */
function bySlots(intent: Intent, e: Entities, masked: string): Intent {
  if (intent === 'sales_total' && e.direction && !e.product) return 'top_products';
  if (intent === 'purchases' && e.direction && !e.supplier) return 'supplier_performance';
  // "How long does Contoso take?": how long a supplier takes is its lead time, not a product's cover.
  if (intent === 'days_of_cover' && e.supplier && !e.product && !e.looseProduct) return 'supplier_performance';
  // "How much have we spent with Contoso?": one supplier's spend is its purchases; how it performs is the suppliers' table.
  if (intent === 'supplier_performance' && e.supplier && !e.direction && !PERFORMANCE.test(masked)) return 'purchases';
  // "How much did we spend with suppliers?": the total is the purchases; spend per supplier ("each", "which", "by") is the suppliers' table.
  if (intent === 'supplier_performance' && !e.direction && SPEND.test(masked) && !PER_SUPPLIER.test(masked) && !PERFORMANCE.test(masked)) return 'purchases';
  if (intent === 'product_stock' && e.category && !e.product && !e.looseProduct) return 'product_count';
  // "What brought in the least money?": stock questions do not rank by money.
  if (STOCK_INTENTS.has(intent) && e.direction && (e.metric === 'revenue' || e.metric === 'margin') && !e.product) return 'top_products';
  // "How many toner have we got?": counting one product's stock, not the catalogue.
  if (intent === 'product_count' && !e.category && (e.product ?? e.looseProduct)) return 'product_stock';
  return intent;
}

/** Words about how a supplier performs rather than what was bought from it. */
const PERFORMANCE = /\b(?:deliver\w*|lead|long|fast\w*|quick\w*|slow\w*|late|prompt\w*|reliab\w*|dependab\w*|rely|on time|days?|perform\w*|rating|scorecard|record|compare)\b/;

const SPEND = /\b(?:spen[dt]|spending|paid|pay|cost)\b/;
const PER_SUPPLIER = /\b(?:each|every|per|which|who|whom|by|breakdown|split|rank\w*|list)\b/;

const STOCK_INTENTS = new Set<Intent>(['product_stock', 'days_of_cover', 'low_stock', 'out_of_stock', 'slow_movers']);

const periodString = (p: PeriodInput) => (p.period === 'custom' ? `custom:${p.from}..${p.to}` : (p.period ?? 'this_month'));

/** The day window of a slow-mover question: named days, else the named period's length, else 60. */
function windowDays(e: Entities, now: Date): number {
  let days = e.days;
  if (!days && e.period) {
    const key = e.period.period;
    if (key === 'last_7_days' || key === 'last_30_days' || key === 'last_90_days') days = Number(key.split('_')[1]);
    else if (key === 'custom' && e.period.from) days = Math.round((now.getTime() - Date.parse(`${e.period.from}T00:00:00Z`)) / 86_400_000);
    else if (key === 'last_month' || key === 'this_month') days = 30;
    else if (key === 'last_week' || key === 'this_week') days = 7;
  }
  return Math.min(365, Math.max(7, days ?? 60));
}

function suggestionsFor(intent: Intent, e: PublicEntities, first?: string): string[] {
  const when = e.period && !e.period.startsWith('custom') ? e.period.replace(/_/g, ' ').replace(/^last (\d+) days$/, 'in the last $1 days') : 'this month';
  const product = e.product ?? first;
  const list: Record<Intent, string[]> = {
    top_products: [product ? `How many ${product} do we have left?` : '', `How does ${when} compare with the period before?`, e.metric === 'margin' ? `Top products by revenue ${when}` : `Which products earned the best margin ${when}?`, 'What are our slowest-moving products?'],
    sales_total: [`Which product brought in the most revenue ${when}?`, `Sales by category ${when}`, `How does ${when} compare with the period before?`],
    sales_comparison: [`Which product brought in the most revenue ${when}?`, `Sales by category ${when}`, 'Which products are out of stock?'],
    sales_by_category: [`Best selling products ${when}`, `Revenue by supplier ${when}`, 'How much money do we have tied up in stock?'],
    sales_by_supplier: [`How much did we buy from suppliers ${when}?`, 'Which supplier is slowest to deliver?', `Sales by category ${when}`],
    product_count: ['Which products are out of stock?', 'How much money do we have tied up in stock?', 'Show me the items below their minimum stock level'],
    product_stock: product ? [`When will ${product} run out?`, `How many ${product} did we sell last month?`, 'What should I reorder?'] : ['What is low on stock?', 'What should I reorder?'],
    days_of_cover: ['What should I reorder?', 'What is low on stock?', product ? `How many ${product} did we sell this month?` : 'Which products are out of stock?'],
    low_stock: ['What should I reorder?', 'Which products are out of stock?', 'What is going to run out first?'],
    out_of_stock: ['What should I reorder?', 'What is low on stock?', 'What is going to run out first?'],
    reorder: ['What is low on stock?', 'Which supplier is slowest to deliver?', 'How much did we buy from suppliers this month?'],
    stock_value: ['What are our slowest-moving products?', 'Which products have not sold in the last 60 days?', 'How many products do we carry?'],
    slow_movers: ['Which products have not sold in the last 60 days?', 'How much money do we have tied up in stock?', 'Worst selling products this month'],
    dead_stock: ['What are our slowest-moving products?', 'How much money do we have tied up in stock?', 'What should I reorder?'],
    purchases: ['Which supplier is slowest to deliver?', 'What should I reorder?', `Revenue by supplier ${when}`],
    supplier_performance: [`How much did we buy from suppliers ${when}?`, 'What should I reorder?', `Revenue by supplier ${when}`],
    stock_by_location: [product ? `How many ${product} do we have?` : 'What is low on stock?', 'How much money do we have tied up in stock?', 'What should I reorder?'],
    none: GENERAL_SUGGESTIONS,
  };
  return list[intent].filter(Boolean).slice(0, 3);
}

/** Answers a question: classify, read entities, call the tools the intent needs, and put their figures into sentences. */
export async function builtinAnalyst(question: string, ctx: ToolContext): Promise<AnalystAnswer> {
  const f = say.formatter(ctx.settings.currency);
  const { intent: classified, entities: e, command } = await understand(question, ctx);
  const data: Record<string, unknown> = {};
  const call = async <T>(tool: Tool, args: object): Promise<T> => {
    const result = (await tool.run(tool.args.parse(args), ctx)) as T;
    data[tool.name in data ? `${tool.name}_${Object.keys(data).length}` : tool.name] = result;
    return result;
  };
  let intent: Intent = classified;
  // A period that has not happened has no figures: forecasting is not something the data can answer.
  if (e.future && PERIODIC.has(intent)) intent = 'none';
  // "How many routers are in the shop?": a product's stock at a place is a location question.
  if (intent === 'product_stock' && e.location) intent = 'stock_by_location';

  const period: PeriodInput = e.period ?? { period: 'this_month' };
  const shown: PublicEntities = {};
  if (PERIODIC.has(intent)) shown.period = periodString(period);
  const product = e.product ?? (['product_stock', 'days_of_cover', 'stock_by_location'].includes(intent) ? e.looseProduct : undefined);
  if (product) shown.product = product.name;
  if (e.category) shown.category = e.category;
  if (e.supplier) shown.supplier = e.supplier.name;
  if (e.location) shown.location = e.location;
  const answer = (response: string, first?: string): AnalystAnswer => ({
    response,
    data,
    source: 'builtin',
    tools: Object.keys(data).map((k) => k.replace(/_\d+$/, '')),
    intent,
    entities: shown,
    suggestions: suggestionsFor(intent, shown, first),
  });
  type R<T extends Tool> = Awaited<ReturnType<T['run']>>;

  switch (intent) {
    case 'top_products': {
      shown.metric = e.metric ?? 'units';
      shown.direction = e.direction ?? 'top';
      if (e.limit) shown.limit = e.limit;
      const top = await call<R<typeof topProducts>>(topProducts, { ...period, by: shown.metric, direction: shown.direction, category: e.category, limit: e.limit ?? 5 });
      const first = top.products[0];
      const stock = first && shown.direction === 'top' ? await call<R<typeof productStock>>(productStock, { query: first.sku }) : undefined;
      return answer(say.topProductsAnswer(top, f, stock?.product), first?.name);
    }
    case 'sales_total':
      if (product) return answer(say.productSalesAnswer(await call(productSales, { ...period, query: product.sku }), f));
      if (e.category) return answer(say.categorySalesAnswer(await call(revenueByCategory, period), e.category, f));
      return answer(say.salesSummaryAnswer(await call(salesSummary, period), f));
    case 'sales_comparison':
      return answer(say.comparisonAnswer(await call(salesSummary, period), f));
    case 'sales_by_category':
      return answer(say.categoryAnswer(await call(revenueByCategory, period), f));
    case 'sales_by_supplier':
      return answer(say.supplierRevenueAnswer(await call(revenueBySupplier, period), f));
    case 'product_count':
      return answer(say.productCountAnswer(await call(productCount, { category: e.category }), f));
    case 'product_stock':
    case 'days_of_cover': {
      if (!product) {
        if (intent === 'days_of_cover') {
          const runout = await call<R<typeof stockRunout>>(stockRunout, {});
          return answer(say.runoutAnswer(runout, f), runout.products[0]?.name);
        }
        return answer('Which product do you mean? Name it or give its SKU, for example "How many of <product name> do we have?". I can also list what is low or out of stock.');
      }
      const stock = await call<R<typeof productStock>>(productStock, { query: product.sku });
      return answer(intent === 'days_of_cover' ? say.daysOfCoverAnswer(stock, f) : say.productStockAnswer(stock, f));
    }
    case 'low_stock':
      return answer(say.lowStockAnswer(await call(lowStock, { limit: 100 }), f));
    case 'out_of_stock':
      return answer(say.outOfStockAnswer(await call(lowStock, { limit: 100 }), f));
    case 'reorder':
      return answer(say.reorderAnswer(await call(reorderRecommendations, { limit: 50 }), f));
    case 'stock_value': {
      const value = await call<R<typeof stockValuation>>(stockValuation, {});
      return answer(e.category ? say.categoryValuationAnswer(value, e.category, f) : say.valuationAnswer(value, f));
    }
    case 'slow_movers':
    case 'dead_stock': {
      shown.days = windowDays(e, ctx.now);
      const slow = await call<R<typeof slowMovers>>(slowMovers, { days: shown.days });
      return answer(intent === 'dead_stock' ? say.deadStockAnswer(slow, f) : say.slowMoversAnswer(slow, f));
    }
    case 'purchases':
      return answer(say.purchasesAnswer(await call(purchasesInPeriod, { ...period, supplier: e.supplier?.name }), f, e.supplier?.name));
    case 'supplier_performance':
      return answer(say.supplierAnswer(await call(supplierPerformance, period), f));
    case 'stock_by_location': {
      const transit = e.location === 'in transit';
      const r = await call<R<typeof stockByLocation>>(stockByLocation, { product: product?.sku, location: transit ? undefined : e.location });
      // "the back room" is the shop's "Back-room Warehouse": report the place the answer is about.
      if (r.location?.found && r.location.name) shown.location = r.location.name;
      return answer(say.locationStockAnswer(r, f, { transit }));
    }
    case 'none':
      if (command) return answer(`I only read the store's data; I cannot change anything, order, send or delete. ${CAPABILITIES}`);
      return answer(e.future ? `I only know what has already happened in the store's data, so I cannot forecast. ${CAPABILITIES}` : CAPABILITIES);
  }
}

/** The short business briefing: trend, top and slow movers, stock risks, what to reorder. */
export async function builtinSummary(ctx: ToolContext): Promise<AnalystAnswer> {
  const f = say.formatter(ctx.settings.currency);
  const [summary, top, slow, low, reorder] = await Promise.all([
    salesSummary.run(salesSummary.args.parse({ period: 'this_month' }), ctx),
    topProducts.run(topProducts.args.parse({ period: 'this_month', limit: 3 }), ctx),
    slowMovers.run(slowMovers.args.parse({ limit: 3 }), ctx),
    lowStock.run(lowStock.args.parse({ limit: 10 }), ctx),
    reorderRecommendations.run(reorderRecommendations.args.parse({ limit: 50 }), ctx),
  ]);
  const response = [
    say.salesSummaryAnswer(summary, f),
    say.topProductsAnswer(top, f),
    say.lowStockAnswer(low, f),
    say.reorderAnswer(reorder, f),
    say.slowMoversAnswer(slow, f),
  ].join('\n\n');
  const data = { sales_summary: summary, top_products: top, low_stock: low, reorder_recommendations: reorder, slow_movers: slow };
  return { response, data, source: 'builtin', tools: Object.keys(data), suggestions: ['What should I reorder?', 'How does this month compare to last month?', 'What are our slowest-moving products?'] };
}
