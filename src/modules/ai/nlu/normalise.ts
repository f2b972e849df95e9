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
};

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

const PLACEHOLDERS = new Set(['itemname', 'categoryname', 'suppliername', 'placename', 'num']);

/** Words the period reader understands (periods are not masked), and other plain words: never "mended" into a corpus word. */
const KNOWN =
  'past last previous next this current fortnight fortnights quarter quarters weekend weekends morning afternoon evening tonight since until till between through from ago date dates ' +
  'january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday ' +
  'hour hours minute minutes first second third fourth half start beginning end each every whole total about around than then them they their there these those';



/** The words of the training corpus, with how often each occurs (the spelling a misspelt word is mended to). */
export class Vocabulary {
  private readonly counts = new Map<string, number>();
  private readonly byFirst = new Map<string, string[]>();

  constructor(lines: Iterable<string>) {
    for (const line of lines) for (const word of words(line)) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    for (const word of [...Object.keys(SYNONYMS), ...KNOWN.split(' ')]) this.counts.set(word, this.counts.get(word) ?? 1);
    for (const word of this.counts.keys()) {
      const list = this.byFirst.get(word[0]) ?? [];
      list.push(word);
      this.byFirst.set(word[0], list);
    }
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /** The known word a misspelt one stands for: one edit away for short words, two for long ones, the same first letter, the commonest. */
  mend(word: string): string {
    if (word.length < 4 || this.counts.has(word) || PLACEHOLDERS.has(word) || /\d/.test(word)) return word;
    const allowed = word.length >= 7 ? 2 : 1;
    let best: { word: string; distance: number; count: number } | undefined;
    for (const known of this.byFirst.get(word[0]) ?? []) {
      if (known.length < 3 || Math.abs(known.length - word.length) > allowed) continue;
      const distance = typoDistance(word, known);
      if (distance > allowed) continue;
      const count = this.counts.get(known)!;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) best = { word: known, distance, count };
    }
    return best?.word ?? word;
  }
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** The masked question as the classifier sees it: spelling mended against the corpus, synonyms merged. */
export function forClassifier(masked: string, vocabulary?: Vocabulary): string {
  return words(masked)
    .map((word) => (vocabulary ? vocabulary.mend(word) : word))
    .map((word) => SYNONYMS[word] ?? word)
    .join(' ');
}
