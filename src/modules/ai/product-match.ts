/**
 * Finding the product a person means: SKU, then case-insensitive "contains",
 * then all words present, then the closest name by edit distance.
 */
export interface Candidate {
  id: number;
  sku: string;
  name: string;
}

export type MatchType = 'sku' | 'exact' | 'contains' | 'tokens' | 'fuzzy';

export interface Match<C extends Candidate> {
  product: C | null;
  matchType: MatchType | null;
  alternatives: C[];
}

const STOPWORDS = new Set(['the', 'a', 'an', 'of', 'our', 'we', 'do', 'have', 'any', 'in', 'stock', 'left', 'units', 'pcs', 'how', 'many', 'much', 'is', 'are', 'there', 'for']);

export const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Words that identify a product, singular ("cables" matches "Cable"). */
const tokens = (text: string) =>
  normalise(text)
    .split(' ')
    .filter((t) => t.length >= 2 && !STOPWORDS.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

const byLength = <C extends Candidate>(a: C, b: C) => a.name.length - b.name.length || a.id - b.id;

export function matchProduct<C extends Candidate>(query: string, candidates: C[]): Match<C> {
  const q = normalise(query);
  if (!q) return { product: null, matchType: null, alternatives: [] };
  const pick = (list: C[], matchType: MatchType): Match<C> => {
    const sorted = [...list].sort(byLength);
    return { product: sorted[0], matchType, alternatives: sorted.slice(1, 4) };
  };

  const sku = candidates.filter((c) => c.sku.toLowerCase() === q);
  if (sku.length) return pick(sku, 'sku');
  const exact = candidates.filter((c) => normalise(c.name) === q);
  if (exact.length) return pick(exact, 'exact');
  const contains = candidates.filter((c) => normalise(c.name).includes(q) || c.sku.toLowerCase().includes(q));
  if (contains.length) return pick(contains, 'contains');

  const wanted = tokens(q);
  if (wanted.length) {
    const all = candidates.filter((c) => {
      const have = tokens(c.name);
      return wanted.every((w) => have.some((h) => h === w || (w.length >= 3 && h.startsWith(w))));
    });
    if (all.length) return pick(all, 'tokens');
  }

  let best: { c: C; score: number } | undefined;
  for (const c of candidates) {
    const name = normalise(c.name);
    const score = editDistance(q, name) / Math.max(q.length, name.length);
    if (!best || score < best.score) best = { c, score };
  }
  if (best && best.score <= 0.34) {
    const near = candidates.filter((c) => c !== best!.c && editDistance(q, normalise(c.name)) / Math.max(q.length, c.name.length) <= 0.34);
    return { product: best.c, matchType: 'fuzzy', alternatives: near.slice(0, 3) };
  }
  return { product: null, matchType: null, alternatives: [] };
}
