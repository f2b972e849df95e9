import * as chrono from 'chrono-node';
import Fuse from 'fuse.js';
import { wallTime } from '../../../shared/time-zone.js';
import type { PeriodInput, PeriodKey } from '../periods.js';
import { expandShorthand, typoDistance } from './normalise.js';

/**
 * Entity extraction for the built-in analyst: periods (fixed phrases, then
 * chrono-node for dates such as "since March 3" or "in April"), products,
 * categories and suppliers (token matching with fuse.js for typos), stock
 * locations, metrics, ranking direction, limits and day windows. It also
 * returns the question with every entity masked (corpus.ts), which is what
 * the intent classifier sees.
 */

export interface CatalogProduct {
  id: number;
  sku: string;
  name: string;
  category: string;
}
export interface Catalog {
  products: CatalogProduct[];
  categories: string[];
  suppliers: { id: number; name: string }[];
  /** The shop's own places (code and name), so "in the stall" or "at WH1" is a location. */
  locations?: { code: string; name: string }[];
}

export type Metric = 'units' | 'revenue' | 'margin';

export interface Entities {
  /** The period as a tool argument, when the question names one. */
  period?: PeriodInput;
  /** The question names a period that has not happened yet ("next year"): nothing to look up. */
  future?: boolean;
  metric?: Metric;
  direction?: 'top' | 'bottom';
  limit?: number;
  /** A day window ("in 30 days", "for 90 days"). */
  days?: number;
  product?: CatalogProduct;
  /** A product named only by a word unique to it ("the toner"): used when the question is about one product. */
  looseProduct?: CatalogProduct;
  category?: string;
  supplier?: { id: number; name: string };
  /** A named stock location (a word such as "warehouse", or one of the shop's location codes or names) or "in transit". */
  location?: string;
}

export interface Understanding {
  entities: Entities;
  /** The only period named is what to compare with ("better than last month"): the current period is the one after it. */
  periodIsBaseline?: boolean;
  /** The question with entities replaced by placeholders, for the classifier. */
  masked: string;
}

interface Token {
  raw: string;
  norm: string;
  start: number;
  end: number;
  mask?: string;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, sixty: 60, ninety: 90, a: 1 };
const IRREGULAR: Record<string, string> = { mice: 'mouse', shelves: 'shelf', boxes: 'box', knives: 'knife', batteries: 'battery', categories: 'category' };

/** Singular, lower-case form of a word ("cables" -> "cable", "mice" -> "mouse"). */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (/\d/.test(w)) return w;
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('es') && /(x|ch|sh|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

/** "haven't" -> "have not", "what's" -> "what is": the classifier sees whole words. */
function expandContractions(text: string): string {
  return text
    .replace(/['’]/g, "'")
    .replace(/\b(can)'t\b/gi, '$1 not')
    .replace(/\bwon't\b/gi, 'will not')
    .replace(/n't\b/gi, ' not')
    .replace(/\b(what|that|there|it|who|where|how|here)'s\b/gi, '$1 is')
    .replace(/'re\b/gi, ' are')
    .replace(/'ve\b/gi, ' have')
    .replace(/'ll\b/gi, ' will')
    .replace(/'d\b/gi, ' would');
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)].map((m) => ({ raw: m[0], norm: m[0].toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, ''), start: m.index!, end: m.index! + m[0].length }));
}

/** Words that say how to ask, never which product: they do not pick a product on their own. */
const QUESTION_WORDS = new Set(
  'the a an of our we us do does did have has had any in on at for to from by with and or is are was were be been it its this that these those what whats which who how many much when where why left stock stocks inventory units unit sold sell sells selling sale sales product products item items top best worst most least there here me my i you your show tell give list please all some get got still right now today yesterday week month year day days last next past since between store shop bottom lowest highest fewest biggest'.split(' '),
);

// ---------------------------------------------------------------- periods

interface PeriodHit {
  start: number;
  end: number;
  input?: PeriodInput;
  future?: boolean;
}

const isoDay = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
};

function daysBack(n: number, today: { y: number; m: number; d: number }): PeriodInput {
  if (n === 7) return { period: 'last_7_days' };
  if (n === 30) return { period: 'last_30_days' };
  if (n === 90) return { period: 'last_90_days' };
  return { period: 'custom', from: isoDay(today.y, today.m, today.d - (n - 1)), to: isoDay(today.y, today.m, today.d) };
}

const num = (word: string) => (/^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word]);

function periodHits(text: string, now: Date, timeZone: string): PeriodHit[] {
  const q = text.toLowerCase();
  const today = wallTime(now, timeZone);
  const hits: PeriodHit[] = [];
  const add = (re: RegExp, make: (m: RegExpExecArray) => PeriodInput | 'future' | undefined) => {
    for (const m of q.matchAll(new RegExp(re.source, 'g'))) {
      const made = make(m as RegExpExecArray);
      if (made === undefined) continue;
      hits.push({ start: m.index!, end: m.index! + m[0].length, ...(made === 'future' ? { future: true } : { input: made }) });
    }
  };
  const key = (k: PeriodKey) => () => ({ period: k });
  const quarterStart = Math.floor((today.m - 1) / 3) * 3 + 1;
  add(/\b(\d{4}-\d{2}-\d{2})\b(?:\s*(?:to|and|until|till|through|-|–)\s*|.{0,12}?)(\d{4}-\d{2}-\d{2})\b/, (m) => ({ period: 'custom', from: m[1], to: m[2] }));
  add(/(?<!\d{4}-\d{2}-\d{2}.{0,12})\b(\d{4}-\d{2}-\d{2})\b(?!.{0,12}\d{4}-\d{2}-\d{2})/, (m) => ({ period: 'custom', from: m[1], to: m[1] }));
  add(/\b(?:tomorrow|next (?:week|month|year|quarter)|coming (?:week|month|year))\b/, () => 'future');
  add(/\b(?:so far )?today\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b/, key('today'));
  add(/\byesterday\b/, key('yesterday'));
  add(/\b(?:this|current) week\b|\bweek to date\b|\bwtd\b/, key('this_week'));
  add(/\b(?:last|previous|past) week\b|\bthe week before\b/, key('last_week'));
  add(/\b(?:this|current) month\b|\bmonth to date\b|\bmtd\b/, key('this_month'));
  add(/\b(?:last|previous|past) month\b|\bthe month before\b/, key('last_month'));
  // "year on year", "month over month": the current period, against the one before.
  add(/\byear (?:on|over) year\b/, key('this_year'));
  add(/\bmonth (?:on|over) month\b/, key('this_month'));
  add(/\bweek (?:on|over) week\b/, key('this_week'));
  add(/\bday (?:on|over) day\b/, key('today'));
  add(/\b(?:this|current) year\b|\byear to date\b|\bytd\b|\bsince the (?:start|beginning) of the year\b/, key('this_year'));
  add(/\b(?:last|previous) year\b/, () => ({ period: 'custom', from: isoDay(today.y - 1, 1, 1), to: isoDay(today.y - 1, 12, 31) }));
  add(/\b(?:last|previous|past) quarter\b/, () => ({ period: 'custom', from: isoDay(today.y, quarterStart - 3, 1), to: isoDay(today.y, quarterStart, 0) }));
  add(/\b(?:this|current) quarter\b/, () => ({ period: 'custom', from: isoDay(today.y, quarterStart, 1), to: isoDay(today.y, today.m, today.d) }));
  // "Q1", "the first quarter": that quarter of this year, or of last year when it has not begun.
  add(/\b(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)\b/, (m) => {
    const n = m[1] ? Number(m[1]) : ['first', 'second', 'third', 'fourth'].indexOf(m[2]) + 1 || Number(m[2][0]);
    const startMonth = (n - 1) * 3 + 1;
    const y = startMonth > today.m ? today.y - 1 : today.y;
    const to = isoDay(y, startMonth + 3, 0);
    const todayIso = isoDay(today.y, today.m, today.d);
    return { period: 'custom', from: isoDay(y, startMonth, 1), to: to > todayIso ? todayIso : to };
  });
  // "1 june to 10 june", "3rd to 9th of May": day-first ranges (chrono-node reads them as one day).
  add(/\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? ?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)?[a-z]* *(?:to|until|till|through|and|-|–) *(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: of)? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/, (m) => {
    const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
    const m1 = months.indexOf(m[2] ?? m[4]) + 1;
    const m2 = months.indexOf(m[4]) + 1;
    if (!m[2] && !/^\d{1,2}(?:st|nd|rd|th)? *(?:to|until|till|through|and|-|–)/.test(m[0])) return undefined;
    const y = m1 > today.m || (m1 === today.m && Number(m[1]) > today.d) ? today.y - 1 : today.y;
    const todayIso = isoDay(today.y, today.m, today.d);
    const to = isoDay(m2 < m1 ? y + 1 : y, m2, Number(m[3]));
    return { period: 'custom', from: isoDay(y, m1, Number(m[1])), to: to > todayIso ? todayIso : to };
  });
  add(/\b(?:(?:last|past|previous) (?:two|2) weeks|(?:last|past|previous) fortnight|fortnight)\b/, () => daysBack(14, today));
  add(/\b(?:in |over |for |during )?(?:the )?(?:last|past|previous) (\d{1,3}|[a-z]+) (days?|weeks?|months?)\b/, (m) => {
    const n = num(m[1]);
    if (!n) return undefined;
    const days = m[2].startsWith('week') ? n * 7 : m[2].startsWith('month') ? n * 30 : n;
    return daysBack(Math.min(days, 366), today);
  });
  add(/\b(?:over |on |at )?(?:the |last )weekend\b/, () => {
    const weekday = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7;
    const saturday = today.d - weekday - 2;
    return { period: 'custom', from: isoDay(today.y, today.m, saturday), to: isoDay(today.y, today.m, saturday + 1) };
  });

  // Dates and months in words: chrono-node, outside what the phrases above already cover.
  const taken = (start: number, end: number) => hits.some((h) => start < h.end && end > h.start);
  // chrono reads "in May" but not "for May": say "in" (padded to the same length, so positions hold).
  // chrono reads "since the start of May" as nothing: "the start of" becomes "in" (padded, so positions hold); the month's first day is what it means.
  const forChrono = text.replace(/\b(?:the )?(?:start|beginning) of (?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/gi, (m) => 'in'.padEnd(m.length, ' ')).replace(/(?<!\d(?:st|nd|rd|th)?\s)\b(for|of|during|over|throughout)(\s+)(?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/gi, (_m, word: string, space: string) => 'in'.padEnd(word.length + space.length, ' '));
  // Only a month, a weekday or a number can make a date kept below: without one, chrono-node (the slow part) is not asked.
  const dated = /\d|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b/i.test(forChrono);
  const parsed = (dated ? chrono.parse(forChrono, { instant: now, timezone: 0 }) : []).filter((r) => !taken(r.index, r.index + r.text.length));
  const wall = (c: chrono.ParsedComponents) => ({ y: c.get('year')!, m: c.get('month')!, d: c.get('day')! });
  for (let i = 0; i < parsed.length; i++) {
    const r = parsed[i];
    if (/\b(?:now|today|tonight|yesterday|tomorrow)\b/i.test(r.text)) continue;
    const certain = (c: chrono.ParsedComponents, unit: chrono.Component) => c.isCertain(unit);
    if (!certain(r.start, 'month') && !certain(r.start, 'weekday') && !certain(r.start, 'year')) continue;
    const before = text.slice(0, r.index).toLowerCase().replace(/(?:the )?(?:start|beginning) of\s*$/, '');
    const start = wall(r.start);
    const monthOnly = certain(r.start, 'month') && !certain(r.start, 'day');
    const yearOnly = certain(r.start, 'year') && !certain(r.start, 'month');
    // A month or date named without a year means the last one that has begun.
    if (!certain(r.start, 'year') && (start.y > today.y || (start.y === today.y && (start.m > today.m || (start.m === today.m && !monthOnly && start.d > today.d))))) start.y -= 1;
    let end = r.end ? wall(r.end) : undefined;
    // "between March 1 and March 15": two dates joined by a word.
    const next = parsed[i + 1];
    if (!end && next && /^\s*(?:and|to|until|till|through|-|–)\s*$/i.test(text.slice(r.index + r.text.length, next.index)) && next.start.isCertain('day')) {
      end = wall(next.start);
      if (!next.start.isCertain('year')) end.y = start.y;
      i++;
    }
    const from = yearOnly ? isoDay(start.y, 1, 1) : monthOnly ? isoDay(start.y, start.m, 1) : isoDay(start.y, start.m, start.d);
    let to: string;
    if (end) to = isoDay(end.y, end.m, end.d);
    else if (/\b(?:since|from|after)\s*(?:the\s*)?$/.test(before)) to = isoDay(today.y, today.m, today.d);
    else to = yearOnly ? isoDay(start.y, 12, 31) : monthOnly ? isoDay(start.y, start.m + 1, 0) : from;
    const todayIso = isoDay(today.y, today.m, today.d);
    const stop = r.end && next ? next.index + next.text.length : r.index + r.text.length;
    if (from > todayIso) hits.push({ start: r.index, end: stop, future: true });
    else hits.push({ start: r.index, end: stop, input: { period: 'custom', from, to: to > todayIso ? todayIso : to } });
  }
  return hits.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------- catalogue matching

interface Indexed<T> {
  item: T;
  tokens: { word: string; weight: number }[];
  head: string;
  total: number;
}

/** Token index over names, weighted by rarity (a word in one name says more than one in ten). */
function indexNames<T>(items: T[], nameOf: (t: T) => string, ignore: Set<string> = new Set()): { entries: Indexed<T>[]; df: Map<string, number>; fuse: Fuse<string>; vocab: Set<string>; spellings: Map<string, string | undefined> } {
  const words = items.map((item) => {
    const name = nameOf(item).toLowerCase();
    const main = name.replace(/\(.*?\)/g, ' ');
    const mainWords = tokenize(main).map((t) => stem(t.norm)).filter((w) => !ignore.has(w));
    const extra = tokenize(name.match(/\((.*?)\)/g)?.join(' ') ?? '').map((t) => stem(t.norm));
    return { item, mainWords, extra };
  });
  const df = new Map<string, number>();
  for (const w of words) for (const word of new Set([...w.mainWords, ...w.extra])) df.set(word, (df.get(word) ?? 0) + 1);
  const idf = (word: string) => Math.log(1 + items.length / (df.get(word) ?? 1));
  const entries = words.map(({ item, mainWords, extra }) => {
    // Sizes and model codes ("500ml", "e27") say less than words; pack sizes in brackets nothing.
    const tokens = [...mainWords.map((word) => ({ word, weight: idf(word) * (/\d/.test(word) ? 0.5 : 1) })), ...extra.map((word) => ({ word, weight: 0 }))];
    const head = [...mainWords].reverse().find((w) => !/\d/.test(w)) ?? mainWords[mainWords.length - 1] ?? '';
    return { item, tokens, head, total: tokens.reduce((s, t) => s + t.weight, 0) };
  });
  const vocab = new Set(entries.flatMap((e) => e.tokens.map((t) => t.word)));
  return { entries, df, fuse: new Fuse([...vocab], { includeScore: true, threshold: 0.45, ignoreLocation: true }), vocab, spellings: new Map() };
}

/**
 * The vocabulary word a question word stands for: itself, or its closest
 * spelling (fuse.js) for longer words, remembered with the index (a fuzzy
 * search over 100,000 names' words costs milliseconds per word, and
 * questions reuse their words).
 */
function canonical(word: string, index: { fuse: Fuse<string>; vocab: Set<string>; spellings: Map<string, string | undefined> }): string | undefined {
  if (index.vocab.has(word)) return word;
  if (word.length < 5 || /\d/.test(word)) return undefined;
  if (index.spellings.has(word)) return index.spellings.get(word);
  const allowed = word.length >= 6 ? 2 : 1;
  const found = index.fuse.search(word, { limit: 3 }).find((c) => c.item[0] === word[0] && Math.abs(c.item.length - word.length) <= 1 && typoDistance(c.item, word) <= allowed)?.item;
  // Bounded: question words are few, but any text can be asked.
  if (index.spellings.size >= 10_000) index.spellings.clear();
  index.spellings.set(word, found);
  return found;
}

/**
 * The catalogue entry the question names best: the share of its name's
 * weight that the question covers, at least a third, and never a single
 * word unless it is the name's head noun ("routers", not "cash").
 */
function bestMatch<T>(tokens: Token[], index: ReturnType<typeof indexNames<T>>, usable: (t: Token) => boolean, loose = false): { item: T; used: Token[] } | undefined {
  // A loose match (one word of a name) must be spelt right.
  const words = tokens.filter(usable).map((t) => ({ t, word: loose ? (index.vocab.has(stem(t.norm)) ? stem(t.norm) : undefined) : canonical(stem(t.norm), index) })).filter((w) => w.word);
  if (!words.length) return undefined;
  let best: { item: T; score: number; matched: number; used: Token[]; total: number } | undefined;
  for (const entry of index.entries) {
    const used: Token[] = [];
    let weight = 0;
    let matched = 0;
    let headHit = false;
    for (const token of entry.tokens) {
      const hit = words.find((w) => w.word === token.word && !used.includes(w.t));
      if (!hit) continue;
      used.push(hit.t);
      weight += token.weight;
      if (token.weight > 0 && !/^\d+$/.test(token.word)) matched++;
      if (token.word === entry.head) headHit = true;
    }
    if (!matched) continue;
    const score = entry.total > 0 ? weight / entry.total : 0;
    // One word names a product only when it is the name's head noun ("routers"), or, loosely, a word no other name has ("toner").
    const single = matched === 1 && used.filter((t) => !/^\d+$/.test(t.norm)).length === 1;
    if (single ? !headHit && !(loose && score > 0 && (index.df.get(entry.tokens.find((x) => x.word === canonical(stem(used[0].norm), index))?.word ?? '') ?? 0) === 1) : score < 0.34) continue;
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && (matched > best.matched || (matched === best.matched && entry.total < best.total)))) {
      best = { item: entry.item, score, matched, used, total: entry.total };
    }
  }
  return best && { item: best.item, used: best.used };
}

const GENERIC_SUPPLIER_WORDS = new Set('co company inc ltd llc supply supplie supplies trader trading wholesale group the and of'.split(' '));

interface CatalogIndex {
  products: ReturnType<typeof indexNames<CatalogProduct>>;
  suppliers: ReturnType<typeof indexNames<{ id: number; name: string }>>;
  categories: { name: string; word: string }[];
}
const indexes = new WeakMap<Catalog, CatalogIndex>();

function indexOf(catalog: Catalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    const categoryWords = new Set(catalog.categories.map((c) => stem(c)));
    index = {
      products: indexNames(catalog.products, (p) => p.name),
      suppliers: indexNames(catalog.suppliers, (s) => s.name, new Set([...GENERIC_SUPPLIER_WORDS, ...categoryWords, 'electronic', 'kitchenware', 'peripheral', 'coffee', 'ski', 'wide', 'world', 'works', 'furniture', 'cleaning', 'packaging', 'office', 'lighting', 'networking'].map(stem))),
      categories: catalog.categories.map((name) => ({ name, word: stem(name) })),
    };
    indexes.set(catalog, index);
  }
  return index;
}

/**
 * A name said by its first two words ("Wide World" for "Wide World Cleaning
 * Co."): enough on its own, even when each word alone is too common to name it.
 */
function leadingName<T extends { name: string }>(tokens: Token[], items: T[], usable: (t: Token) => boolean): { item: T; used: Token[] } | undefined {
  for (const item of items) {
    const [a, b] = tokenize(item.name.toLowerCase()).map((t) => stem(t.norm));
    if (!a || !b) continue;
    const at = tokens.findIndex((t, i) => usable(t) && tokens[i + 1] && usable(tokens[i + 1]) && stem(t.norm) === a && stem(tokens[i + 1].norm) === b);
    if (at >= 0) return { item, used: [tokens[at], tokens[at + 1]] };
  }
  return undefined;
}

function categoryOf(token: Token, index: CatalogIndex): string | undefined {
  const w = stem(token.norm);
  if (w.length < 4) return undefined;
  return index.categories.find((c) => c.word === w || (w.length >= 5 && (c.word.startsWith(w) || w.startsWith(c.word))) || (w.length >= 6 && typoDistance(w, c.word) <= 1))?.name;
}

// ---------------------------------------------------------------- the rest

const LOCATION = /\b(in[- ]transit|on (?:the|its|their) way|on the road|en route|being (?:transferred|shipped|moved)|between (?:the |our )?(?:shops|stores|locations|sites|branches)|(?:back|main|front|second|other|upstairs|downstairs) (?:store|shop|room|storeroom|warehouse)|warehouses?|stock ?rooms?|storerooms?|shop floor|depots?|branch(?:es)?|locations?)\b/gi;

/**
 * Shop talk whose words a product name may share in another sense: money in
 * "the bank", the "range" a shop carries (not a "range extender"), the window
 * cleaner who is paid.
 */
const ORDINARY = /\b(?:(?:in|at|from|to|into|with|for) (?:the |our )?bank|bank (?:balances?|accounts?|holidays?|loans?|statements?|transfers?|cards?|fees?|charges?|details)|ranges?(?! extenders?)|(?:we|you|they) bank(?:ed)?|banked|banking|(?:window|office|contract) cleaners?|(?:pay|paid|paying|pays) (?:the |our |a )?cleaners?)\b/g;

/** Words of location names too common to name a place on their own. */
const PLACE_NOISE = new Set(['main', 'store', 'shop', 'location', 'stock', 'back', 'front', 'room', 'the']);

function metricOf(q: string): Metric | undefined {
  if (/\b(margins?|profit\w*|markup)\b/.test(q)) return 'margin';
  if (/\b(revenue|money|grossing|gross(?:ed)?|earn\w*|income|takings|turnover|made|make|brought in|bring in|sales value|value of sales|dollars?)\b/.test(q)) return 'revenue';
  if (/\b(units?|pieces|quantity|volume|how many)\b/.test(q)) return 'units';
  return undefined;
}

/** Reads every entity in the question and masks it for the classifier. */
export function understandEntities(question: string, catalog: Catalog, now: Date, timeZone: string): Understanding {
  const text = expandContractions(expandShorthand(question.trim()));
  const q = text.toLowerCase();
  const tokens = tokenize(text);
  const entities: Entities = {};
  const inSpan = (t: Token, start: number, end: number) => t.start >= start && t.end <= end;
  const mask = (list: Token[], placeholder: string) => {
    for (const t of list) t.mask = placeholder;
  };

  const hits = periodHits(text, now, timeZone);
  const first = hits.find((h) => h.input) ?? hits[0];
  if (first?.future && !hits.some((h) => h.input && h.start < first.start)) entities.future = true;
  else if (first?.input) entities.period = first.input;
  for (const h of hits) for (const t of tokens) if (inSpan(t, h.start, h.end)) t.mask = t.mask ?? 'periodname';

  for (const m of q.matchAll(LOCATION)) {
    const phrase = m[1].replace(/-/g, ' ');
    if (!/^locations?$/.test(phrase) && !entities.location) entities.location = /transit|on (?:the|its|their) way|on the road|en route|being|between/.test(phrase) ? 'in transit' : phrase.replace(/s$/, '');
    mask(tokens.filter((t) => inSpan(t, m.index!, m.index! + m[0].length)), 'placename');
  }
  // The shop's own location codes, names, and the distinctive words of those names ("stall" of "Market Stall").
  for (const place of catalog.locations ?? []) {
    if (entities.location) break;
    const words = place.name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !PLACE_NOISE.has(w));
    for (const phrase of [place.code.toLowerCase(), place.name.toLowerCase(), ...words]) {
      const at = new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).exec(q);
      if (!at || (phrase === place.code.toLowerCase() && phrase.length < 3)) continue;
      entities.location = place.name;
      mask(tokens.filter((t) => inSpan(t, at.index, at.index + phrase.length)), 'placename');
      break;
    }
  }

  // Catalogue words in their everyday sense ("the bank", "our range") name no product; they stay words for the classifier.
  for (const m of q.matchAll(ORDINARY)) for (const t of tokens) if (t.mask === undefined && inSpan(t, m.index!, m.index! + m[0].length)) t.mask = '';

  const index = indexOf(catalog);
  const free = (t: Token) => t.mask === undefined;
  const lower = text.toLowerCase();
  const skuAt = (sku: string) => {
    const at = lower.indexOf(sku.toLowerCase());
    return at >= 0 && !/[\p{L}\p{N}-]/u.test(lower[at - 1] ?? ' ') && !/[\p{L}\p{N}-]/u.test(lower[at + sku.length] ?? ' ') ? at : -1;
  };
  // Suppliers first: the rest of a supplier's name ("Coffee" in "Lucerne Coffee") is not a product.
  const supplier = leadingName(tokens, catalog.suppliers, free) ?? bestMatch(tokens, index.suppliers, (t) => free(t) && !QUESTION_WORDS.has(t.norm));
  if (supplier) {
    entities.supplier = supplier.item;
    // The rest of the supplier's name ("Electronics" in "Northwind Electronics") is part of it, not a category.
    const nameWords = new Set(tokenize(supplier.item.name).map((t) => stem(t.norm)));
    const used = [...supplier.used];
    for (const t of supplier.used) {
      let i = tokens.indexOf(t);
      while (tokens[i + 1] && free(tokens[i + 1]) && nameWords.has(stem(tokens[i + 1].norm))) used.push(tokens[++i]);
      i = tokens.indexOf(t);
      while (tokens[i - 1] && free(tokens[i - 1]) && nameWords.has(stem(tokens[i - 1].norm))) used.push(tokens[--i]);
    }
    mask(used, 'suppliername');
  }

  const bySku = catalog.products.find((p) => p.sku.length >= 3 && skuAt(p.sku) >= 0);
  if (bySku) {
    entities.product = bySku;
    const at = skuAt(bySku.sku);
    mask(tokens.filter((t) => inSpan(t, at, at + bySku.sku.length)), 'itemname');
  } else {
    const product = bestMatch(tokens, index.products, (t) => free(t) && (!QUESTION_WORDS.has(t.norm) || /\d/.test(t.norm)));
    if (product) {
      entities.product = product.item;
      mask(product.used, 'itemname');
    } else {
      const loose = bestMatch(tokens, index.products, (t) => free(t) && !QUESTION_WORDS.has(t.norm) && t.norm.length >= 4, true);
      if (loose) entities.looseProduct = loose.item;
    }
  }

  for (const t of tokens) {
    if (!free(t)) continue;
    const category = categoryOf(t, index);
    if (category) {
      entities.category ??= category;
      t.mask = 'categoryname';
    }
  }

  entities.metric = metricOf(q);
  if (/\b(worst|least|lowest|fewest|bottom|weakest|poorest|smallest|feeblest|under ?perform\w*|not pulling (?:its|their) (?:own )?weight|letting us down|lagging)\b/.test(q)) entities.direction = 'bottom';
  else if (/\b(top|best|most|highest|biggest|greatest|largest|fattest|heftiest|strongest|leading|number one|popular|hottest)\b/.test(q)) entities.direction = 'top';

  const freeText = tokens.filter((t) => t.mask === undefined).map((t) => t.norm).join(' ');
  const limit =
    /\b(?:top|best|worst|bottom|first)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twenty)\b/.exec(freeText) ??
    /\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twenty)\s+(?:\w+\s+)?(?:best|top|worst|most|least|highest|lowest|biggest|products?|items?|sellers?|earners?|performers?)\b/.exec(freeText);
  if (limit) entities.limit = Math.min(20, Math.max(1, num(limit[1]) ?? 5));

  const window = /\b(\d{1,3}|[a-z]+)\s+(days?|weeks?|months?)\b/.exec(q);
  if (window && num(window[1])) entities.days = num(window[1])! * (window[2].startsWith('week') ? 7 : window[2].startsWith('month') ? 30 : 1);
  else if (/\b(?:a|one|the last|past) month\b/.test(q)) entities.days = 30;
  else if (/\b(?:a|one|the last|past) quarter\b|\bthree months\b/.test(q)) entities.days = 90;

  const baseline = first?.input && hits.filter((h) => h.input).length === 1 && /\b(?:than|to|with|vs\.?|versus|against|on|over|since)\s*(?:the\s*)?(?:(?:same|this) (?:time|period|days|point) (?:as |of |in )?(?:the )?)?$/i.test(text.slice(0, first.start));

  const parts: string[] = [];
  for (const t of tokens) {
    const word = t.mask === undefined ? (/^\d+$/.test(t.norm) ? 'num' : t.norm) : t.mask;
    if (word === '') {
      parts.push(/^\d+$/.test(t.norm) ? 'num' : t.norm);
      continue;
    }
    if (parts[parts.length - 1] === word && ['itemname', 'suppliername', 'categoryname', 'placename', 'periodname', 'num'].includes(word)) continue;
    parts.push(word);
  }
  return { entities, masked: parts.join(' '), ...(baseline ? { periodIsBaseline: true } : {}) };
}
