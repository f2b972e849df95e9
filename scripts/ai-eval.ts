/**
 * `npm run ai:eval`: asks the built-in analyst every held-out question over a
 * fresh seeded database (SQLite, or MariaDB with TEST_DATABASE_URL) and prints
 * accuracy per intent, the confusion between intents and the wrong answers.
 * `-- --set fresh` scores the second held-out set instead.
 */
import { parseArgs } from 'node:util';
import { report, runEval } from '../test/ai-eval/score.js';

// --set fresh: the second held-out set (test/ai-eval/fresh.json).
const { values } = parseArgs({ options: { set: { type: 'string', default: 'heldout' } } });
const run = await runEval({ set: values.set });
console.log(report(run));
process.exit(0);
