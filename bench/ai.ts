/**
 * `npm run bench:ai`: time per question of the built-in analyst on the demo
 * data (six months of history, fixed clock), over the held-out and blind questions.
 * Prints p50, p95 and max for the analyst alone (understanding plus tool
 * queries) and for the whole POST /api/ai/query round trip (auth, audit row).
 * SQLite by default; MariaDB with TEST_DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { MID_MONTH, startTestApp } from '../test/helpers/test-app.js';
import { seedAiData } from '../test/helpers/ai-seed.js';
import { loadHeldOut } from '../test/ai-eval/score.js';
import { builtinAnalyst } from '../src/modules/ai/analyst.builtin.js';
import { classifier } from '../src/modules/ai/nlu/classifier.js';
import { getSettings } from '../src/modules/settings/settings.service.js';
import { now } from '../src/shared/clock.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds) || 3);

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (${s.length} questions)`;
};

const app = await startTestApp({ AI_RATE_LIMIT: '1000000' }, { now: MID_MONTH });
try {
  const { user } = await app.userWithRole('customer');
  await seedAiData(user.id);
  const questions = [...loadHeldOut().questions, ...loadHeldOut('blind').questions].map((q) => q.q);
  const started = performance.now();
  await classifier();
  console.log(`Classifier trained in ${(performance.now() - started).toFixed(0)} ms (once per process, at server start).`);
  const direct: number[] = [];
  const http: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const question of questions) {
      const ctx = { settings: await getSettings(), now: now() };
      const t0 = performance.now();
      await builtinAnalyst(question, ctx);
      direct.push(performance.now() - t0);
      const t1 = performance.now();
      const res = await app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question } });
      http.push(performance.now() - t1);
      if (res.status !== 200) throw new Error(`${question}: HTTP ${res.status}`);
    }
  }
  console.log(`Database: ${process.env.TEST_DATABASE_URL ? 'MariaDB/MySQL' : 'SQLite'}; ${rounds} rounds over ${questions.length} held-out and blind questions.`);
  console.log(`Analyst (understanding + tools): ${stats(direct)}`);
  console.log(`POST /api/ai/query round trip:   ${stats(http)}`);
} finally {
  await app.close();
}
