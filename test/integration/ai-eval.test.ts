import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { report, runEval } from '../ai-eval/score.js';

/**
 * The scored evaluation: every held-out question asked over HTTP on a fresh
 * seeded database, its intent, entities and figures checked against
 * independent SQL. `npm run ai:eval` prints the full reports.
 *
 * - heldout.json was used while tuning the analyst, so it is held to a high bar;
 * - blind.json was written before the second round of work and never tuned
 *   on: its threshold sits just under the score it had when the round ended
 *   (92.9% intent, 92.1% fully correct), so a regression fails.
 */
describe('AI built-in analyst on the held-out questions', () => {
  it('when the held-out questions are asked, then >= 95% of intents and >= 90% of answers are right, and no unanswerable one states a figure', async () => {
    const run = await runEval();
    const text = report(run);
    assert.ok(run.results.length >= 100, 'at least 100 held-out questions');
    assert.ok(run.intentAccuracy >= 0.95, `intent accuracy ${run.intentAccuracy}\n${text}`);
    assert.ok(run.fullAccuracy >= 0.9, `fully correct ${run.fullAccuracy}\n${text}`);
    for (const r of run.results.filter((x) => x.got === 'none')) assert.equal(/\d/.test(r.response), false, `${r.q}: ${r.response}`);
  });

  it('when the blind questions are asked, then >= 92% of intents and >= 91% of answers are right, and no unanswerable one states a figure', async () => {
    const run = await runEval({ set: 'blind' });
    const text = report(run);
    assert.ok(run.results.length >= 100, 'at least 100 blind questions');
    assert.ok(run.intentAccuracy >= 0.92, `intent accuracy ${run.intentAccuracy}\n${text}`);
    assert.ok(run.fullAccuracy >= 0.91, `fully correct ${run.fullAccuracy}\n${text}`);
    for (const r of run.results.filter((x) => x.got === 'none')) assert.equal(/\d/.test(r.response), false, `${r.q}: ${r.response}`);
  });
});
