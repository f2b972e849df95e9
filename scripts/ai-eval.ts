/**
 * `npm run ai:eval`: asks the built-in analyst every held-out question over a
 * fresh seeded database (SQLite, or MariaDB with TEST_DATABASE_URL) and prints,
 * per set, accuracy per intent, the confusion between intents and the wrong
 * answers. The sets: blind, blind2 and blind3 (test/ai-eval/blind*.json, never
 * tuned on; blind2 and blind3 written without sight of the corpus, each scored
 * once before and once after a round of work), heldout, fresh, dev (written for
 * the third round and tuned on), check (written with dev, scored once after the
 * tuning), dev2 (written before the fourth round and tuned on) and check2
 * (written after its first tuning, never tuned on). `-- --set blind3` scores
 * one set only.
 */
import { parseArgs } from 'node:util';
import { report, runEval } from '../test/ai-eval/score.js';

const { values } = parseArgs({ options: { set: { type: 'string' } } });
const sets = values.set ? [values.set] : ['blind', 'blind2', 'blind3', 'heldout', 'fresh', 'dev', 'check', 'dev2', 'check2'];
const summary: string[] = [];
for (const set of sets) {
  const run = await runEval({ set });
  console.log(`=== ${set} (test/ai-eval/${set}.json)\n${report(run)}\n`);
  summary.push(`${set.padEnd(8)} ${String(run.results.length).padStart(4)} questions  intent ${(run.intentAccuracy * 100).toFixed(1)}%  fully correct ${(run.fullAccuracy * 100).toFixed(1)}%`);
}
if (sets.length > 1) console.log(summary.join('\n'));
process.exit(0);
