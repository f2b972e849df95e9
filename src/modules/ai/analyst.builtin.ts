import { periodFromText, type PeriodInput } from './periods.js';
import { matchProduct, productInText } from './product-match.js';
import { revenueByCategory, salesSummary, topProducts } from './sales.tools.js';
import { activeProducts, lowStock, productStock, stockValuation } from './stock.tools.js';
import { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';
import type { Tool, ToolContext } from './tool.js';
import * as say from './builtin.answers.js';

export interface AnalystAnswer {
  response: string;
  data: Record<string, unknown>;
  source: 'builtin' | 'openai';
  tools: string[];
  fallbackReason?: string;
}

/** What the built-in analyst understands; the honest reply to anything else (it names no numbers). */
export const CAPABILITIES =
  "I can only answer from the store's own data, and that question is outside what I know how to look up. I can tell you: " +
  'the best sellers or top products by units or revenue; revenue and sales compared with the previous period; sales by category; ' +
  'the stock of a product by name or SKU; what is low or out of stock; what to reorder; slow movers and dead stock; ' +
  'the value of the stock; supplier spend and lead times; and purchases. ' +
  'Name a period such as today, yesterday, this or last week, this or last month, the last few days, this year, or explicit dates (YYYY-MM-DD).';

const INTENTS = {
  reorder: /\b(re-?order|restock|replenish|order more|what (should|do) (i|we) (buy|order)|need to (buy|order))/,
  slow: /\b(slow[- ]?mov|dead[- ]?stock|not selling|(isn'?t|aren'?t|are not|is not) selling|unsold|no sales|worst[- ]sell|least sold|sitting on)/,
  stockish: /\b(how (many|much)|in stock|stock (level|of|for)|stock\b|left|do we have|on hand|inventory of|units of|available|out of)/,
  low: /\b(low[- ](on )?stock|(stock is |running |run )(low|out)|out[- ]of[- ]stock|stock-?outs?|sold out|(is|are|what'?s|running) low|low inventory)/,
  valuation: /\b(stock|inventory)( is)? (value|valuation|worth)|value of (the |our )?(stock|inventory)|(stock|inventory) valuation|worth of (the |our )?(stock|inventory)|how much is (the |our )?(stock|inventory)/,
  supplier: /\b(suppliers?|vendors?|lead[- ]?times?)\b/,
  purchases: /\b(purchases?|purchased|bought|buy|purchase orders?|procure)/,
  category: /\bcategor(y|ies)\b/,
  top: /\b(best[- ]?sell|top (selling |\d+ )?(products?|items?|sellers?|performers?)|sold (the )?most|most (sold|popular|sales)|sells? (the )?most|top[- ]?sellers?|which products? (sold|sell)|highest (revenue|sales))/,
  byRevenue: /\b(revenue|money|earn|by value|turnover|income)\b/,
  sales: /\b(revenue|sales|sold|turnover|income|earn(ed|ings)?|how (are|did) we do|sell)\b/,
};

const STOCK_PHRASES = [
  /how (?:many|much) (?:units of |pieces of )?(.+?) (?:do we have|have we got|are (?:there|left|in stock)|is (?:there|left|in stock)|in stock|left|on hand|remain)/,
  /(?:stock|inventory|quantity)(?: level)? (?:of|for) (.+?)(?:\?|$| do we| in stock| left)/,
  /do we have (?:any )?(.+?)(?: in stock| left)?(?:\?|$)/,
  /(?:^|\b)is (.+?) (?:in stock|out of stock|available|low)/,
];

/** A product the question names (exactly or, failing that, through a stock phrasing and fuzzy matching). */
async function namedProduct(question: string, ctx: ToolContext): Promise<string | undefined> {
  const products = await activeProducts(ctx);
  const direct = productInText(question, products);
  if (direct) return direct.sku;
  const q = question.toLowerCase().trim();
  for (const pattern of STOCK_PHRASES) {
    const phrase = pattern.exec(q)?.[1]?.trim();
    if (phrase && matchProduct(phrase, products).product) return phrase;
  }
  return undefined;
}

/** Answers the common questions with templated sentences over tool results. */
export async function builtinAnalyst(question: string, ctx: ToolContext): Promise<AnalystAnswer> {
  const q = question.toLowerCase();
  const f = say.formatter(ctx.settings.currency);
  const period: PeriodInput = periodFromText(question) ?? { period: 'this_month' };
  const data: Record<string, unknown> = {};
  const call = async <T>(tool: Tool, args: object): Promise<T> => {
    const result = (await tool.run(tool.args.parse(args), ctx)) as T;
    data[tool.name in data ? `${tool.name}_${Object.keys(data).length}` : tool.name] = result;
    return result;
  };
  const answer = (response: string): AnalystAnswer => ({ response, data, source: 'builtin', tools: Object.keys(data).map((k) => k.replace(/_\d+$/, '')) });

  if (INTENTS.reorder.test(q)) return answer(say.reorderAnswer(await call(reorderRecommendations, { limit: 50 }), f));
  if (INTENTS.slow.test(q)) return answer(say.slowMoversAnswer(await call(slowMovers, {}), f));
  if (INTENTS.stockish.test(q) || INTENTS.low.test(q)) {
    const product = await namedProduct(question, ctx);
    if (product) return answer(say.productStockAnswer(await call(productStock, { query: product }), f));
  }
  if (INTENTS.low.test(q)) return answer(say.lowStockAnswer(await call(lowStock, {}), f));
  if (INTENTS.valuation.test(q)) return answer(say.valuationAnswer(await call(stockValuation, {}), f));
  if (INTENTS.supplier.test(q)) return answer(say.supplierAnswer(await call(supplierPerformance, period), f));
  if (INTENTS.purchases.test(q)) return answer(say.purchasesAnswer(await call(purchasesInPeriod, period), f));
  if (INTENTS.category.test(q)) return answer(say.categoryAnswer(await call(revenueByCategory, period), f));
  if (INTENTS.top.test(q)) {
    const by = INTENTS.byRevenue.test(q) ? 'revenue' : 'units';
    const top = await call<Awaited<ReturnType<typeof topProducts.run>>>(topProducts, { ...period, by });
    const first = top.products[0];
    const stock = first ? await call<Awaited<ReturnType<typeof productStock.run>>>(productStock, { query: first.sku }) : undefined;
    return answer(say.topProductsAnswer(top, f, stock?.product));
  }
  if (INTENTS.sales.test(q)) return answer(say.salesSummaryAnswer(await call(salesSummary, period), f));
  if (INTENTS.stockish.test(q)) {
    const phrase = STOCK_PHRASES.map((p) => p.exec(q)?.[1]?.trim()).find(Boolean);
    if (phrase) return answer(say.productStockAnswer(await call(productStock, { query: phrase.slice(0, 100) }), f));
  }
  return answer(CAPABILITIES);
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
  return { response, data, source: 'builtin', tools: Object.keys(data) };
}
