/**
 * Normalisation of shop talk, before entities are read and before the
 * classifier sees a question (and the same for every corpus line it is
 * trained on):
 *
 * - `expandShorthand`: text-speak and abbreviations become words ("yday",
 *   "this wk", "pls", "whats"), so the period and entity readers see them;
 * - `forClassifier`: on the masked question, misspelt words become the
 *   nearest word the corpus knows ("itmes" -> "items"), then synonyms become
 *   one word per meaning ("takings", "turnover", "income" -> "revenue";
 *   "vendor" -> "supplier"; "dept" -> "category"), so a synonym the corpus
 *   uses in one intent's examples counts for every phrasing of it.
 */

import { createRequire } from 'node:module';

/** Whole-word shorthand, on the raw question. */
const SHORTHAND: Record<string, string> = {
  yday: 'yesterday',
  yest: 'yesterday',
  ystd: 'yesterday',
  tdy: 'today',
  tod: 'today',
  wk: 'week',
  wks: 'weeks',
  mnth: 'month',
  mth: 'month',
  mths: 'months',
  yr: 'year',
  yrs: 'years',
  qtr: 'quarter',
  qty: 'quantity',
  qtys: 'quantities',
  pls: 'please',
  plz: 'please',
  thx: 'thanks',
  u: 'you',
  ur: 'your',
  r: 'are',
  whats: 'what is',
  wats: 'what is',
  wat: 'what',
  hows: 'how is',
  wheres: 'where is',
  thats: 'that is',
  cant: 'can not',
  dont: 'do not',
  didnt: 'did not',
  doesnt: 'does not',
  havent: 'have not',
  hasnt: 'has not',
  isnt: 'is not',
  arent: 'are not',
  wasnt: 'was not',
  werent: 'were not',
  wont: 'will not',
  vs: 'versus',
  v: 'versus',
  thru: 'through',
  prods: 'products',
  prod: 'product',
  tot: 'total',
  amt: 'amount',
  avg: 'average',
  dept: 'department',
  depts: 'departments',
  inv: 'inventory',
  rev: 'revenue',
  oos: 'out of stock',
  todays: 'today',
  yesterdays: 'yesterday',
  tonights: 'tonight',
  yoy: 'year on year',
};

const SHORTHAND_RE = new RegExp(`(?<![\\p{L}\\p{N}'’-])(${Object.keys(SHORTHAND).join('|')})(?![\\p{L}\\p{N}'’-])`, 'giu');

/** "revenue yday pls" -> "revenue yesterday please". Positions move; callers read entities from the result. */
export function expandShorthand(text: string): string {
  return text.replace(SHORTHAND_RE, (word: string) => SHORTHAND[word.toLowerCase()]);
}

/** One word per meaning, on the masked question (words, not placeholders). */
const SYNONYMS: Record<string, string> = {
  takings: 'revenue',
  turnover: 'revenue',
  income: 'revenue',
  proceeds: 'revenue',
  gross: 'revenue',
  grossing: 'revenue',
  grossed: 'revenue',
  profit: 'margin',
  profits: 'margin',
  profitable: 'margin',
  profitability: 'margin',
  markup: 'margin',
  margins: 'margin',
  vendor: 'supplier',
  vendors: 'supplier',
  distributor: 'supplier',
  distributors: 'supplier',
  wholesaler: 'supplier',
  wholesalers: 'supplier',
  suppliers: 'supplier',
  department: 'category',
  departments: 'category',
  section: 'category',
  sections: 'category',
  categories: 'category',
  categorys: 'category',
  item: 'product',
  items: 'product',
  products: 'product',
  sku: 'product',
  skus: 'product',
  article: 'product',
  articles: 'product',
  goods: 'product',
  merchandise: 'product',
  inventory: 'stock',
  stocks: 'stock',
  po: 'purchase order',
  pos: 'purchase orders',
  quantities: 'quantity',
  versus: 'vs',
  compared: 'compare',
  comparing: 'compare',
  comparison: 'compare',
  // A product is a "line" in shop talk, or just "stuff"; a group of them a category.
  line: 'product',
  lines: 'product',
  stuff: 'product',
  thing: 'product',
  things: 'product',
  group: 'category',
  groups: 'category',
  // The "range" a shop carries is its assortment, or a category of it ("our cleaning range").
  range: 'category',
  ranges: 'category',
  // Ranking words: one per direction.
  highest: 'biggest',
  largest: 'biggest',
  greatest: 'biggest',
  fattest: 'biggest',
  heftiest: 'biggest',
  weakest: 'worst',
  poorest: 'worst',
  feeblest: 'worst',
  // How seldom something sells.
  hardly: 'rarely',
  barely: 'rarely',
  seldom: 'rarely',
  scarcely: 'rarely',
  infrequently: 'rarely',
  // Money coming in, said as a verb.
  earn: 'revenue',
  earns: 'revenue',
  earned: 'revenue',
  earnt: 'revenue',
  earning: 'revenue',
  earnings: 'revenue',
  taken: 'revenue',
  banked: 'revenue',
  banking: 'revenue',
  took: 'revenue',
  // Which way the figures went: one word for a trend.
  rise: 'trend',
  rises: 'trend',
  rose: 'trend',
  risen: 'trend',
  rising: 'trend',
  fall: 'trend',
  falls: 'trend',
  fell: 'trend',
  fallen: 'trend',
  falling: 'trend',
  drop: 'trend',
  drops: 'trend',
  dropped: 'trend',
  dropping: 'trend',
  grow: 'trend',
  grows: 'trend',
  grew: 'trend',
  grown: 'trend',
  growing: 'trend',
  growth: 'trend',
  improve: 'trend',
  improved: 'trend',
  improving: 'trend',
  decline: 'trend',
  declined: 'trend',
  declining: 'trend',
  slipping: 'trend',
  trending: 'trend',
  trends: 'trend',
  beat: 'trend',
  beating: 'trend',
  // "What wants restocking?": what needs it.
  want: 'need',
  wants: 'needs',
  wanted: 'needed',
  // Selling, in other words.
  shifting: 'selling',
  shifted: 'sold',
};

/** Phrases that mean one thing, before the words are read one by one. */
const PHRASES: [RegExp, string][] = [
  // Asking politely says nothing about what is asked.
  [/\b(?:(?:can|could|would|will) you (?:please )?|please )?(?:tell|show|give|let) me(?: know| see)?\b/g, ''],
  [/\b(?:i (?:want|would like|d like|need|wanna) to (?:know|see|find out|check)|do you know|i wonder|i was wondering)\b/g, ''],
  // Time left, however it is asked, is "how long".
  [/\bhow (?:much time|soon|many (?:more )?(?:days|weeks|months))\b/g, 'how long'],
  [/\bproduct (?:lines?|groups?|families|family|types?)\b/g, 'category'],
  [/\b(run|runs|ran|running|gone|went|going) dry\b/g, '$1 out'],
  // Money a shop banks is money it took.
  [/\b(we|you|they) bank\b/g, '$1 take'],
  // Doing worse than the rest, in idioms.
  [/\b(?:not pulling (?:its|their|his|her) (?:own )?weight|letting us down|lagging behind(?: the rest)?|under ?perform(?:ing|ers?|s|ed)?)\b/g, 'underperforming'],
  // A category's range is the category; the whole range is every product.
  [/\bcategoryname ranges?\b/g, 'categoryname'],
  [/\b(?:whole|entire|full|complete) (?:product )?range\b/g, 'all product'],
  // Stock that fell below its floor is low, not a falling trend.
  [/\b(?:dropped|dropping|drops|drop|fallen|falling|fell|falls|fall|gone|going|went|sunk|sinking|slipped|slipping) (?=below|under|beneath)/g, ''],
  // A product's own floor, however it is called, is its threshold; "less than" it is below it, not a comparison of periods.
  [/\b(?:re ?order (?:levels?|points?|thresholds?|lines?|triggers?)|minimum (?:stock )?(?:levels?|quantity|quantities|qty|amounts?)|min (?:stock|level|qty|quantity)|par levels?|safety stock|minimums?|thresholds?)\b/g, 'threshold'],
  [/\b(?:less|fewer|lower) (?:stock |units |inventory )?than (?=(?:its |their |the |a |our )?(?:threshold|num\b))/g, 'below '],
];

/** Words that carry no question ("hi", "please", "thanks"): dropped, so a greeting does not sway the intent. */
const FILLERS = new Set('hi hey hello hiya heya yo thanks thank cheers please kindly ok okay just'.split(' '));

/** Edit distance where swapping two neighbouring letters ("ruoter") is one edit. */
export function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const PLACEHOLDERS = new Set(['itemname', 'categoryname', 'suppliername', 'placename', 'periodname', 'num']);

/** Words the period reader understands (periods are not masked), and other plain words: never "mended" into a corpus word. */
const KNOWN =
  'past last previous next this current fortnight fortnights quarter quarters weekend weekends morning afternoon evening tonight since until till between through from ago date dates ' +
  'january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday ' +
  'hour hours minute minutes first second third fourth half start beginning end each every whole total about around than then them they their there these those';



/**
 * English words (an-array-of-english-words, ~275,000 of them), read once on
 * first use: a real word the corpus lacks ("charge", "rung") is rarely a typo
 * of one it has ("change", "run"), so it is not mended into it (but for two
 * swapped letters). A built model ships only the few thousand of them that
 * change what the vocabulary does (Vocabulary.englishThatMatters).
 */
let english: Set<string> | undefined;
const englishWords = () => (english ??= new Set(createRequire(import.meta.url)('an-array-of-english-words') as string[]));

/** The words of the training corpus, with how often each occurs (the spelling a misspelt word is mended to). */
export class Vocabulary {
  private readonly counts = new Map<string, number>();
  private readonly byFirst = new Map<string, string[]>();
  private readonly english: () => Set<string>;

  /** `english`: the English words to leave as they are, when not the whole list (see englishThatMatters). */
  constructor(lines: Iterable<string>, english?: Iterable<string>) {
    for (const line of lines) for (const word of words(line)) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    for (const word of [...Object.keys(SYNONYMS), ...KNOWN.split(' ')]) this.counts.set(word, this.counts.get(word) ?? 1);
    for (const word of this.counts.keys()) {
      const list = this.byFirst.get(word[0]) ?? [];
      list.push(word);
      this.byFirst.set(word[0], list);
    }
    const given = english && new Set(english);
    this.english = given ? () => given : englishWords;
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /** The known word that is this one with two neighbouring letters swapped, if there is one. */
  private swapped(word: string): string | undefined {
    for (let i = 0; i + 1 < word.length; i++) {
      const candidate = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (candidate !== word && this.counts.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** The likeliest two known words a word is made of ("lowstock" -> "low stock"). */
  private parts(word: string): string[] | undefined {
    let best: { parts: string[]; count: number } | undefined;
    for (let i = 3; i <= word.length - 3; i++) {
      const a = word.slice(0, i);
      const b = word.slice(i);
      const count = Math.min(this.counts.get(a) ?? 0, this.counts.get(b) ?? 0);
      if (count > 0 && (!best || count > best.count)) best = { parts: [a, b], count };
    }
    return best?.parts;
  }

  /** The known word nearest in spelling: one edit away for short words, two for long ones, the same first letter, the commonest. */
  private nearest(word: string, among = this.byFirst.get(word[0]) ?? []): string | undefined {
    const allowed = word.length >= 7 ? 2 : 1;
    let best: { word: string; distance: number; count: number } | undefined;
    for (const known of among) {
      if (known.length < 3 || Math.abs(known.length - word.length) > allowed) continue;
      const distance = typoDistance(word, known);
      if (distance > allowed) continue;
      const count = this.counts.get(known)!;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) best = { word: known, distance, count };
    }
    return best?.word;
  }

  /** Two known words run together ("lowstock" -> "low stock", "bestsellers" -> "best sellers"), the likeliest split. */
  split(word: string): string[] | undefined {
    if (word.length < 6 || this.counts.has(word) || /\d/.test(word) || this.english().has(word)) return undefined;
    return this.parts(word);
  }

  /** The known word a misspelt one stands for (nearest). A real English word is left as it is. */
  mend(word: string): string {
    if (word.length < 4 || this.counts.has(word) || PLACEHOLDERS.has(word) || /\d/.test(word)) return word;
    // A real word is mended only across two swapped letters ("bets" -> "best"), the slip that most often makes another word.
    if (this.english().has(word)) return this.swapped(word) ?? word;
    return this.nearest(word) ?? word;
  }

  /**
   * The English words whose being English changes what split or mend does
   * with this vocabulary; for every other word the answer is the same either
   * way, so this short list can stand in for the whole one.
   */
  englishThatMatters(): string[] {
    // Words within two edits share a string left after deleting at most two letters from each: only those are compared.
    const deletions = (word: string) => {
      const out = new Set([word]);
      for (const w of [...out]) for (let i = 0; i < w.length; i++) out.add(w.slice(0, i) + w.slice(i + 1));
      for (const w of [...out]) for (let i = 0; i < w.length; i++) out.add(w.slice(0, i) + w.slice(i + 1));
      return out;
    };
    const byDeletion = new Map<string, string[]>();
    for (const known of this.counts.keys()) for (const d of deletions(known)) byDeletion.set(d, [...(byDeletion.get(d) ?? []), known]);
    const order = new Map([...this.byFirst.values()].flatMap((list) => list.map((w, i) => [w, i] as const)));
    return [...englishWords()].filter((word) => {
      if (word.length < 4 || this.counts.has(word) || PLACEHOLDERS.has(word) || /\d/.test(word)) return false;
      if (word.length >= 6 && this.parts(word)) return true;
      const near = new Set([...deletions(word)].flatMap((d) => byDeletion.get(d) ?? []).filter((k) => k[0] === word[0]));
      const among = [...near].sort((a, b) => order.get(a)! - order.get(b)!);
      return (this.swapped(word) ?? word) !== (this.nearest(word, among) ?? word);
    });
  }
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** The masked question as the classifier sees it: fillers dropped, words run together split, spelling mended against the corpus, synonyms merged. */
export function forClassifier(masked: string, vocabulary?: Vocabulary): string {
  let text = words(masked).filter((word) => !FILLERS.has(word)).join(' ');
  for (const [re, to] of PHRASES) text = text.replace(re, to);
  return words(text)
    .flatMap((word) => (vocabulary ? (vocabulary.split(word) ?? [vocabulary.mend(word)]) : [word]))
    .map((word) => SYNONYMS[word] ?? word)
    .join(' ');
}
