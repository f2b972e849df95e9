/**
 * `npm run ai:eval`: asks the built-in analyst every held-out question over a
 * fresh seeded database (SQLite, or MariaDB with TEST_DATABASE_URL) and prints
 * accuracy per intent, the confusion between intents and the wrong answers.
 */
import { report, runEval } from '../test/ai-eval/score.js';

const run = await runEval();
console.log(report(run));
process.exit(0);
