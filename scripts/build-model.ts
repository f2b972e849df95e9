import { renameSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SNAPSHOT_FILE, snapshot } from '../src/modules/ai/nlu/classifier.js';

/**
 * `npm run build` step: trains the analyst's intent classifier and writes it
 * next to the compiled classifier (dist/src/modules/ai/nlu/classifier-model.json),
 * so a server loads it instead of training (without it, a server trains its own
 * after it listens), and ships the few English words
 * the spelling mender needs instead of the whole list.
 */
async function main() {
  const started = performance.now();
  const model = await snapshot();
  // Written aside and moved in whole: a server starting meanwhile never reads half of it.
  writeFileSync(`${SNAPSHOT_FILE}.tmp`, JSON.stringify(model));
  renameSync(`${SNAPSHOT_FILE}.tmp`, SNAPSHOT_FILE);
  console.log(`Analyst model written to ${SNAPSHOT_FILE} (${model.examples.length} examples, ${model.english.length} English words, ${Math.round(performance.now() - started)} ms)`);
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
