import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en-min';
import { CORPUS, INTENTS, type Intent } from './corpus.js';
import { forClassifier, Vocabulary } from './normalise.js';
import { Neighbours } from './neighbours.js';
import { understandEntities } from './entities.js';

/** Corpus lines are masked as questions are (periods become "periodname"); their own placeholders stay. */
const NO_CATALOG = { products: [], categories: [], suppliers: [] };
const asQuestion = (line: string) => understandEntities(line, NO_CATALOG, new Date(Date.UTC(2026, 5, 17, 12)), 'UTC').masked;

/**
 * The intent classifier: NLP.js's neural network over stemmed words (its
 * own spell checker off: it would mend a real word such as "Paris" into a
 * corpus one, which normalise.ts takes care not to), trained once per process
 * on the corpus (under a second), averaged with the nearest corpus examples
 * (neighbours.ts, which also sees word pairs). Both read the question after
 * normalisation (normalise.ts): spelling mended, synonyms merged.
 */
export interface Classification {
  intent: Intent;
  score: number;
  /** The runners-up, best first. */
  alternatives: { intent: Intent; score: number }[];
}

/** Below this combined score the question is not understood well enough to look anything up. */
export const MIN_SCORE = 0.3;
/** The share of the nearest examples in the combined score (the rest is the neural network's). */
const NEIGHBOUR_WEIGHT = 0.6;

export interface Model {
  nlp: Nlp;
  neighbours: Neighbours<Intent>;
  vocabulary: Vocabulary;
}

let trained: Promise<Model> | undefined;

/** Trains both opinions on a corpus (the shipped one, or part of it when cross-validating). */
export async function train(corpus: Record<Intent, string[]> = CORPUS): Promise<Model> {
  const container = containerBootstrap();
  container.use(LangEn);
  const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false, spellCheck: false } }, container);
  nlp.addLanguage('en');
  // A line that is only a greeting ("hello") normalises to nothing: it teaches nothing.
  const masked = INTENTS.flatMap((label) => corpus[label].map((line) => ({ line: asQuestion(line), label })));
  const examples = masked.map(({ line, label }) => ({ text: forClassifier(line), label })).filter((e) => e.text);
  for (const { text, label } of examples) nlp.addDocument('en', text, label);
  await nlp.train();
  const neighbours = new Neighbours(examples);
  // The corpus's words: a misspelt question word is mended to the nearest of them.
  const vocabulary = new Vocabulary(masked.map((m) => m.line));
  return { nlp, neighbours, vocabulary };
}

/** Trains on first use (or ahead of it, see warmUp); every later call reuses the model. */
export function classifier(): Promise<Model> {
  trained ??= train().catch((err) => {
    trained = undefined;
    throw err;
  });
  return trained;
}

export function warmUp(): void {
  void classifier().catch(() => undefined);
}


/** The intent of a masked question (entities.ts); 'none' when the classifier is unsure. */
export async function classify(masked: string, model?: Model): Promise<Classification> {
  const { nlp, neighbours, vocabulary } = model ?? (await classifier());
  const text = forClassifier(masked, vocabulary);
  if (!text) return { intent: 'none', score: 0, alternatives: [] };
  const result = await nlp.process('en', text);
  const network = new Map((result.classifications ?? []).map((c) => [c.intent, c.score]));
  const near = neighbours.scores(text);
  const ranked = INTENTS.map((intent) => ({ intent, score: (1 - NEIGHBOUR_WEIGHT) * (network.get(intent) ?? 0) + NEIGHBOUR_WEIGHT * (near.get(intent) ?? 0) })).sort((a, b) => b.score - a.score);
  const top = ranked[0];
  if (top.score < MIN_SCORE) return { intent: 'none', score: top.score, alternatives: ranked.slice(0, 3) };
  return { intent: top.intent, score: top.score, alternatives: ranked.slice(1, 4) };
}
