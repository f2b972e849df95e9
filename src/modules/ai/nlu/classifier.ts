import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * corpus one, which normalise.ts takes care not to), averaged with the
 * nearest corpus examples (neighbours.ts, which also sees word pairs). Both
 * read the question after normalisation (normalise.ts): spelling mended,
 * synonyms merged. `npm run build` trains it and writes the result next to
 * this module (classifier-model.json, read in a tenth of a second); without
 * that file, or when the corpus or the code has changed since, it trains on
 * first use (a few seconds).
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

/** A trained model as JSON: what `npm run build` writes (scripts/build-model.ts). */
export interface Snapshot {
  /** The fingerprint of the corpus and code it was trained with (fingerprint()). */
  source?: string;
  nlp: string;
  examples: { text: string; label: Intent }[];
  /** The masked corpus lines (the vocabulary's words). */
  lines: string[];
  /** The English words the vocabulary needs to know (Vocabulary.englishThatMatters). */
  english: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const SNAPSHOT_FILE = path.join(here, 'classifier-model.json');

/**
 * A hash of the TypeScript sources training depends on (for dist/src/..., the
 * checkout's src/...; compilers differ, sources do not): a snapshot trained
 * from other versions of them is stale. Undefined when the sources are not there.
 */
export function fingerprint(): string | undefined {
  const sources = here.replace(`${path.sep}dist${path.sep}src${path.sep}`, `${path.sep}src${path.sep}`);
  const files = ['corpus', 'normalise', 'entities', 'neighbours', 'classifier'].map((name) => path.join(sources, `${name}.ts`));
  if (!files.every((f) => existsSync(f))) return undefined;
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  return hash.digest('hex');
}

function newNlp(): Nlp {
  const container = containerBootstrap();
  container.use(LangEn);
  const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false, spellCheck: false } }, container);
  nlp.addLanguage('en');
  return nlp;
}

async function trainNetwork(corpus: Record<Intent, string[]>) {
  const masked = INTENTS.flatMap((label) => corpus[label].map((line) => ({ line: asQuestion(line), label })));
  // A line that is only a greeting ("hello") normalises to nothing: it teaches nothing.
  const examples = masked.map(({ line, label }) => ({ text: forClassifier(line), label })).filter((e) => e.text);
  const nlp = newNlp();
  for (const { text, label } of examples) nlp.addDocument('en', text, label);
  await nlp.train();
  return { nlp, examples, lines: masked.map((m) => m.line) };
}

/** Trains both opinions on a corpus (the shipped one, or part of it when cross-validating). */
export async function train(corpus: Record<Intent, string[]> = CORPUS): Promise<Model> {
  const { nlp, examples, lines } = await trainNetwork(corpus);
  // The corpus's words: a misspelt question word is mended to the nearest of them.
  return { nlp, neighbours: new Neighbours(examples), vocabulary: new Vocabulary(lines) };
}

/** Trains on the shipped corpus and returns the model as JSON. */
export async function snapshot(): Promise<Snapshot> {
  const { nlp, examples, lines } = await trainNetwork(CORPUS);
  return { source: fingerprint(), nlp: nlp.export(true), examples, lines, english: new Vocabulary(lines).englishThatMatters() };
}

/** The built model, when there is one trained from this corpus and code. */
function built(): Model | undefined {
  if (!existsSync(SNAPSHOT_FILE)) return undefined;
  const saved = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as Snapshot;
  const source = fingerprint();
  if (source && saved.source !== source) return undefined;
  const nlp = newNlp();
  nlp.import(saved.nlp);
  return { nlp, neighbours: new Neighbours(saved.examples), vocabulary: new Vocabulary(saved.lines, saved.english) };
}

let trained: Promise<Model> | undefined;

/** Loads the built model or trains on first use (or ahead of it, see warmUp); every later call reuses it. */
export function classifier(): Promise<Model> {
  trained ??= Promise.resolve()
    .then(() => built() ?? train())
    .catch((err) => {
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
