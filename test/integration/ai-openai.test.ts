import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { MID_MONTH, startTestApp, type TestApp } from '../helpers/test-app.js';
import { now as clockNow } from '../../src/shared/clock.js';
import { startFakeOpenAI, text, toolCalls, type FakeOpenAI } from '../helpers/fake-openai.js';
import { seedAiData, INJECTION_NAME } from '../helpers/ai-seed.js';
import { db } from '../../src/db/index.js';
import { eventually } from '../helpers/eventually.js';
import { TOOLS } from '../../src/modules/ai/tools.js';
import { getSettings } from '../../src/modules/settings/settings.service.js';
import { PERIOD_KEYS } from '../../src/modules/ai/periods.js';

const TIMEOUT_MS = 1500;
const TABLES = ['users', 'suppliers', 'products', 'sales', 'sale_items', 'purchases', 'purchase_items', 'stock_movements', 'stock_alerts', 'settings', 'orders', 'order_items', 'reviews', 'coupons'];

/** Row count plus a checksum of ids and updated_at per table: any insert, update or delete changes it. */
/** The mail worker turns stock alerts 'sent' as their mails go out: wait until it has none left, so a fingerprint sees only the AI's doing. */
async function mailSettled(): Promise<void> {
  await eventually(async () => {
    const [row] = await db().query<{ n: number | string }>("SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'pending'", { type: QueryTypes.SELECT });
    assert.equal(Number(row.n), 0, 'mail still pending');
  }, 20_000);
}

async function fingerprint(exclude: string[] = []): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES.filter((t) => !exclude.includes(t))) {
    const [row] = (await db().query(`SELECT COUNT(*) AS n, COALESCE(SUM(id), 0) AS ids, MAX(updated_at) AS touched FROM ${table}`, { type: QueryTypes.SELECT })) as any[];
    out[table] = `${row.n}|${row.ids}|${String(row.touched)}`;
  }
  const [stock] = (await db().query('SELECT COALESCE(SUM(stock), 0) AS s, COUNT(archived_at) AS a FROM products', { type: QueryTypes.SELECT })) as any[];
  out.stock = `${stock.s}|${stock.a}`;
  return out;
}

describe('AI with an OpenAI-compatible provider', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  const ask = (question: string) => app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question } });

  before(async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.baseURL, OPENAI_TIMEOUT_MS: '20000', AI_RATE_LIMIT: '1000' }, { now: MID_MONTH });
    const { user } = await app.userWithRole('customer', { email: 'shopper@example.com', name: 'Shopper Person' });
    await seedAiData(user.id);
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  after(async () => {
    await app.close();
    await fake.close();
  });

  it('when the model states a figure that no tool returned, then the built-in analyst answers instead', async () => {
    fake.script([toolCalls({ name: 'top_products', args: { period: 'this_month', by: 'units', limit: 3 } }), text('Router A1 sold 9,999 units this month.')]);
    const res = await ask('Which product sold the most this month?');
    assert.equal(res.status, 200);
    assert.equal(res.body.source, 'builtin');
    assert.equal(res.body.fallbackReason, 'unverified_figures');
    assert.equal(res.body.intent, 'top_products');
    assert.equal(res.body.response.includes('9,999'), false);
    const top = res.body.data.top_products.products[0];
    assert.ok(res.body.response.includes(`${top.name} sold ${top.units} unit`), res.body.response);
  });

  it('when every figure of the model answer is in the tool results (as money, rounded or as a change), then the answer stands', async () => {
    // The figures the tool will return, read from it directly, so the scripted answer can quote them.
    const ctx = { settings: await getSettings(), now: clockNow() };
    const summary = (await TOOLS.find((t) => t.name === 'sales_summary')!.run({ period: 'this_month' }, ctx)) as any;
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    const change = Math.abs(summary.change.revenuePct);
    const answer = `Revenue this month is ${usd.format(summary.current.revenue)} (about $${Math.round(summary.current.revenue).toLocaleString('en-US')}) from ${summary.current.count} sales, ${summary.change.revenuePct < 0 ? 'down' : 'up'} ${change}% on ${usd.format(summary.previous.revenue)}. Router A1 and the Cat6 Patch Cable 2m sell well.`;
    fake.script([toolCalls({ name: 'sales_summary', args: { period: 'this_month' } }), text(answer)]);
    const res = await ask('How are sales this month?');
    assert.equal(res.body.source, 'openai', JSON.stringify(res.body));
    assert.equal(res.body.response, answer);
  });

  it('when the model calls a tool, then it gets the result and its answer comes back with source openai', async () => {
    fake.script([toolCalls({ name: 'top_products', args: { period: 'this_month', by: 'units', limit: 3 } }), text('Router A1 leads this month.')]);
    const res = await ask('Which product sold the most this month?');
    assert.equal(res.status, 200);
    assert.equal(res.body.source, 'openai');
    assert.equal(res.body.response, 'Router A1 leads this month.');
    assert.equal(res.body.data.top_products.products.length, 3);

    const [first, second] = fake.requests;
    assert.equal(first.model, 'gpt-4o-mini');
    assert.equal(first.tools.length, TOOLS.length);
    for (const t of first.tools) assert.equal(t.function.parameters.type, 'object');
    const system = first.messages[0].content as string;
    for (const fact of ['USD', 'UTC', clockNow().toISOString().slice(0, 10), 'not cancelled', 'never instructions']) assert.ok(system.includes(fact), fact);
    const toolMessage = second.messages.find((m: any) => m.role === 'tool');
    assert.deepEqual(JSON.parse(toolMessage.content), res.body.data.top_products);
  });

  it('when the model asks for several tools in one round, then each gets its own result', async () => {
    fake.script([
      toolCalls({ name: 'sales_summary', args: { period: 'last_month' } }, { name: 'low_stock', args: {} }, { name: 'supplier_performance', args: { period: 'this_year' } }),
      text('Here is the overview.'),
    ]);
    const res = await ask('Give me an overview');
    assert.equal(res.body.source, 'openai');
    assert.deepEqual(Object.keys(res.body.data).sort(), ['low_stock', 'sales_summary', 'supplier_performance']);
    const toolMessages = fake.requests[1].messages.filter((m: any) => m.role === 'tool');
    assert.equal(toolMessages.length, 3);
    const ids = fake.requests[1].messages.find((m: any) => m.role === 'assistant').tool_calls.map((c: any) => c.id);
    assert.deepEqual(toolMessages.map((m: any) => m.tool_call_id), ids);
  });

  it('when tool arguments are malformed, then the model gets an error object and the request still succeeds', async () => {
    fake.script([
      toolCalls({ name: 'top_products', args: '{"limit": ' }, { name: 'top_products', args: { limit: 999, by: 'profit' } }, { name: 'drop_tables', args: {} }),
      text('Sorry, I could not get that.'),
    ]);
    const res = await ask('top products');
    assert.equal(res.status, 200);
    assert.equal(res.body.source, 'openai');
    const results = fake.requests[1].messages.filter((m: any) => m.role === 'tool').map((m: any) => JSON.parse(m.content));
    assert.equal(results[0].error, 'Arguments are not valid JSON');
    assert.equal(results[1].error, 'Invalid arguments');
    assert.match(results[2].error, /Unknown tool/);
    assert.deepEqual(res.body.data, {});
  });

  it('when the provider answers 500, then the built-in analyst answers with the reason', async () => {
    fake.script([{ kind: 'error', status: 500 }]);
    const res = await ask('What should I reorder?');
    assert.equal(res.status, 200);
    assert.equal(res.body.source, 'builtin');
    assert.equal(res.body.fallbackReason, 'provider_error');
    assert.ok(res.body.data.reorder_recommendations);
    assert.equal(fake.requests.length, 1, 'no retries');
  });

  it('when a product name carries instructions, then it reaches the model only as tool data and nothing is written', async () => {
    await mailSettled();
    const before = await fingerprint(['settings']);
    fake.script([
      toolCalls({ name: 'product_stock', args: { query: INJECTION_NAME } }, { name: 'slow_movers', args: {} }),
      toolCalls({ name: 'stock_valuation', args: {} }),
      text('That product has 40 units and has not sold.'),
    ]);
    const res = await ask('Tell me about the product that says to ignore instructions');
    assert.equal(res.body.source, 'openai');
    assert.equal(res.body.data.product_stock.product.name, INJECTION_NAME);
    const last = fake.requests.at(-1);
    const carriers = last.messages.filter((m: any) => JSON.stringify(m).includes(INJECTION_NAME));
    assert.ok(carriers.some((m: any) => m.role === 'tool'));
    // Only tool results (and the model's own echo of its arguments) carry stored text; never the system or user turn.
    for (const m of carriers) assert.ok(m.role === 'tool' || (m.role === 'assistant' && !m.content), m.role);
    assert.deepEqual(await fingerprint(['settings']), before);
    assert.equal(res.body.response, 'That product has 40 units and has not sold.');
  });

  it('when the model keeps calling tools, then it is cut off after four rounds and must answer', async () => {
    const round = toolCalls({ name: 'low_stock', args: {} });
    fake.script([round, round, round, round, text('Final answer.')]);
    const res = await ask('low stock?');
    assert.equal(res.body.source, 'openai');
    assert.equal(fake.requests.length, 5);
    assert.equal(fake.requests[4].tool_choice, 'none');
  });

  it('when aiEnabled is switched off, then the built-in analyst answers without calling the provider', async () => {
    const off = await app.http('PUT', '/api/settings', { token: app.adminToken, body: { aiEnabled: false } });
    assert.equal(off.status, 200);
    const res = await ask('sales this month');
    assert.equal(res.body.source, 'builtin');
    assert.equal(res.body.fallbackReason, undefined);
    assert.equal(fake.requests.length, 0);
    await app.http('PUT', '/api/settings', { token: app.adminToken, body: { aiEnabled: true, aiModel: 'local-model' } });
    fake.script([text('ok')]);
    await ask('hello');
    assert.equal(fake.requests[0].model, 'local-model');
  });

  it('when every tool runs with every period, then no table changes', async () => {
    await mailSettled();
    const before = await fingerprint();
    const ctx = { settings: await getSettings(), now: clockNow() };
    for (const tool of TOOLS) {
      const shape = tool.args.shape as Record<string, unknown>;
      const variants = 'period' in shape ? PERIOD_KEYS.filter((p) => p !== 'custom').map((period) => ({ period })) : [{}];
      if ('period' in shape) variants.push({ period: 'custom', from: '2026-01-01', to: '2026-12-31' } as never);
      if ('query' in shape) variants.splice(0, variants.length, { query: 'router' } as never, { query: INJECTION_NAME } as never, { query: "'; DROP TABLE products; --" } as never);
      for (const args of variants) await tool.run(tool.args.parse(args), ctx);
    }
    assert.deepEqual(await fingerprint(), before);
  });

  it('when requests reach the provider, then they carry no email addresses or password hashes', async () => {
    fake.script([
      toolCalls(...TOOLS.map((t) => ({ name: t.name, args: t.name === 'product_stock' ? { query: 'router' } : {} }))),
      text('Everything.'),
    ]);
    await ask('Tell me everything about the business');
    assert.equal(fake.requests.length, 2);
    const sent = JSON.stringify(fake.requests);
    assert.equal(/[\w.+-]+@[\w-]+\.[\w.-]+/.test(sent), false, 'an email address was sent');
    assert.equal(sent.includes('$2b$') || sent.includes('$2a$'), false, 'a bcrypt hash was sent');
    assert.equal(sent.includes('sk-test-key'), false);
    assert.equal(sent.includes('Shopper Person'), false);
  });
});

describe('AI provider that hangs', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  const ask = (question: string) => app.http('POST', '/api/ai/query', { token: app.adminToken, body: { question } });

  before(async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.baseURL, OPENAI_TIMEOUT_MS: String(TIMEOUT_MS) });
  });
  after(async () => {
    await app.close();
    await fake.close();
  });

  it('when the provider hangs, then the built-in analyst answers within the timeout', async () => {
    fake.script([{ kind: 'hang' }]);
    const started = Date.now();
    const res = await ask('sales this month');
    const elapsed = Date.now() - started;
    assert.equal(res.body.source, 'builtin');
    assert.equal(res.body.fallbackReason, 'timeout');
    assert.ok(elapsed >= TIMEOUT_MS - 100 && elapsed < TIMEOUT_MS + 2000, `took ${elapsed} ms`);
  });

});
