import { StemmerEn } from '@nlpjs/lang-en-min';

/**
 * The second opinion of the intent classifier: the corpus examples nearest
 * to the question (cosine over TF-IDF weighted stemmed words and word pairs).
 * Word pairs keep some word order ("out of" vs "run out"), which NLP.js's
 * bag of words loses; the neural network generalises over single words.
 */
const stemmer = new StemmerEn();

/** Words too common to tell intents apart on their own (they still count inside word pairs). */
const COMMON = new Set('the a an of our we us is are do does did to in on at for me my i you please can could tell show give what which how'.split(' '));

function features(text: string): Set<string> {
  const words = text.split(' ').filter(Boolean).map((w) => stemmer.stemWord(w));
  const out = new Set(words.filter((w) => !COMMON.has(w)));
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]}_${words[i + 1]}`);
  return out;
}

interface Vector {
  weights: Map<string, number>;
  norm: number;
}

export class Neighbours<L extends string> {
  private readonly df = new Map<string, number>();
  private readonly count: number;
  private readonly examples: { label: L; vector: Vector }[];

  /** Examples are normalised text (normalise.ts forClassifier), each with its intent. */
  constructor(examples: { text: string; label: L }[]) {
    const featured = examples.map((e) => ({ label: e.label, f: features(e.text) }));
    for (const { f } of featured) for (const x of f) this.df.set(x, (this.df.get(x) ?? 0) + 1);
    this.count = featured.length;
    this.examples = featured.map(({ label, f }) => ({ label, vector: this.vector(f) }));
  }

  /** Rarer features weigh more; a feature no example has still counts (as if half an example had it). */
  private vector(f: Set<string>): Vector {
    const weights = new Map<string, number>();
    let sum = 0;
    for (const x of f) {
      const idf = Math.log(1 + this.count / (this.df.get(x) ?? 0.5));
      weights.set(x, idf);
      sum += idf * idf;
    }
    return { weights, norm: Math.sqrt(sum) || 1 };
  }

  /** Per intent, the mean similarity of its three nearest examples (0..1). */
  scores(text: string): Map<L, number> {
    const q = this.vector(features(text));
    const byLabel = new Map<L, number[]>();
    for (const { label, vector } of this.examples) {
      let dot = 0;
      for (const [x, w] of q.weights) {
        const v = vector.weights.get(x);
        if (v) dot += w * v;
      }
      const list = byLabel.get(label) ?? [];
      list.push(dot / (q.norm * vector.norm));
      byLabel.set(label, list);
    }
    const out = new Map<L, number>();
    for (const [label, list] of byLabel) {
      list.sort((a, b) => b - a);
      out.set(label, ((list[0] ?? 0) + (list[1] ?? 0) + (list[2] ?? 0)) / 3);
    }
    return out;
  }
}
