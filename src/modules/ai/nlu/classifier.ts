import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en-min';
import { CORPUS, INTENTS, type Intent } from './corpus.js';
import { forClassifier, Vocabulary } from './normalise.js';

/**
 * The intent classifier: NLP.js's neural network over stemmed words, trained
 * once per process on the corpus (a few hundred milliseconds), with its
 * spell checker on so that a misspelt word still counts.
 */
export interface Classification {
  intent: Intent;
  score: number;
  /** The runners-up, best first. */
  alternatives: { intent: Intent; score: number }[];
}

/** Below this score the question is not understood well enough to look anything up. */
export const MIN_SCORE = 0.55;

let trained: Promise<Nlp> | undefined;

/** The corpus's words: a misspelt question word is mended to the nearest of them. */
const vocabulary = new Vocabulary(INTENTS.flatMap((intent) => CORPUS[intent]));

async function train(): Promise<Nlp> {
  const container = containerBootstrap();
  container.use(LangEn);
  const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false, spellCheck: true, spellCheckDistance: 1 } }, container);
  nlp.addLanguage('en');
  for (const intent of INTENTS) for (const utterance of CORPUS[intent]) nlp.addDocument('en', forClassifier(utterance), intent);
  await nlp.train();
  return nlp;
}

/** Trains on first use (or ahead of it, see warmUp); every later call reuses the model. */
export function classifier(): Promise<Nlp> {
  trained ??= train().catch((err) => {
    trained = undefined;
    throw err;
  });
  return trained;
}

export function warmUp(): void {
  void classifier().catch(() => undefined);
}

const isIntent = (name: string): name is Intent => (INTENTS as readonly string[]).includes(name);

/** The intent of a masked question (entities.ts); 'none' when the classifier is unsure. */
export async function classify(masked: string): Promise<Classification> {
  const nlp = await classifier();
  const result = await nlp.process('en', forClassifier(masked, vocabulary));
  const ranked = (result.classifications ?? []).filter((c) => isIntent(c.intent)).map((c) => ({ intent: c.intent as Intent, score: c.score }));
  const top = ranked[0];
  if (!top || top.score < MIN_SCORE || !isIntent(result.intent)) return { intent: 'none', score: top?.score ?? 0, alternatives: ranked.slice(0, 3) };
  return { intent: top.intent, score: top.score, alternatives: ranked.slice(1, 4) };
}
