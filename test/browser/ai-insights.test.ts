import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';

const PASSWORD = 'password-123';

describe('AI insights page in Chromium', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  const emails: Record<'staff' | 'viewer', string> = { staff: '', viewer: '' };

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    const products = [
      { name: 'Router A1', sku: 'NET-RA1', category: 'Networking', price: 59, costPrice: 34.5, stock: 50 },
      { name: 'Patch Cable 2m', sku: 'NET-PC2', category: 'Networking', price: 4, costPrice: 1.5, stock: 3, lowStockThreshold: 10 },
    ];
    const ids: number[] = [];
    for (const body of products) {
      const res = await app.http('POST', '/api/products', { token: app.adminToken, body });
      assert.equal(res.status, 201, res.text);
      ids.push(res.body.id);
    }
    for (const items of [[{ productId: ids[0], quantity: 7 }], [{ productId: ids[1], quantity: 2 }, { productId: ids[0], quantity: 5 }]]) {
      const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items } });
      assert.equal(sale.status, 201, sale.text);
    }
    for (const role of ['staff', 'viewer'] as const) emails[role] = (await app.userWithRole(role, { password: PASSWORD })).user.email;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('when staff opens the page and clicks a suggested question, then the answer and its figures from the sales appear', async () => {
    const { page, errors, context } = await browser.newPage();
    await signIn(page, app.url, emails.staff, PASSWORD);
    await page.getByRole('link', { name: 'AI insights' }).click();
    await page.getByTestId('ai-insights').waitFor();
    await page.getByTestId('ai-summary-text').waitFor();
    assert.match(await page.getByTestId('ai-summary-text').innerText(), /Router A1/);
    assert.match(await page.getByTestId('ai-summary').innerText(), /built-in analyst/);

    await page.getByTestId('suggested-question').filter({ hasText: 'Which product sold the most this month?' }).click();
    await page.getByTestId('ai-answer-text').waitFor();
    assert.match(await page.getByTestId('ai-answer-text').innerText(), /Router A1 sold 12 units/);
    assert.match(await page.getByTestId('ai-source').first().innerText(), /built-in analyst/);
    const first = await page.getByTestId('ai-figure-row').first().innerText();
    assert.match(first, /NET-RA1\s+Router A1\s+Networking\s+12\s+\$708\.00\s+\$/, 'revenue and margin are shown as money');
    assert.ok((await page.getByTestId('ai-figure-row').count()) >= 2, 'both products sold are rows');
    assert.equal(await page.locator('#question').inputValue(), 'Which product sold the most this month?');
    await page.screenshot({ path: '/tmp/ai-insights.png', fullPage: true });

    // The answer offers follow-ups from itself; one click asks the next question.
    const followUp = page.getByTestId('ai-answer-followups').getByTestId('ai-followup').filter({ hasText: 'How many Router A1 do we have left?' });
    await followUp.click();
    await page.getByTestId('ai-answer-text').filter({ hasText: 'in stock' }).waitFor();
    assert.match(await page.getByTestId('ai-answer-text').innerText(), /Router A1 \(NET-RA1\) has 38 units in stock/);
    assert.equal(await page.locator('#question').inputValue(), 'How many Router A1 do we have left?');
    assert.ok((await AuditLog.count({ where: { action: 'ai.query' } })) >= 1, 'the question is audit-logged');
    assert.deepEqual(errors, [], errors.join('\n'));
    await context.close();
  });

  it('when a viewer types a question, then the answer names the low product and the table shows its stock', async () => {
    const { page, errors, context } = await browser.newPage();
    await signIn(page, app.url, emails.viewer, PASSWORD);
    await page.goto(`${app.url}/admin/pages/aiInsights`);
    await page.getByTestId('ai-summary-text').waitFor();
    await page.fill('#question', 'What is low on stock?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.getByTestId('ai-answer-text').waitFor();
    assert.match(await page.getByTestId('ai-answer-text').innerText(), /Patch Cable 2m/);
    assert.match(await page.getByTestId('ai-figures').innerText(), /Patch Cable 2m[\s\S]*\b1\b/);
    assert.deepEqual(errors, [], errors.join('\n'));
    await context.close();
  });

  it('when the question is empty or too long, or nobody is signed in, then the handler asks nothing', async () => {
    const { page, context } = await browser.newPage();
    await signIn(page, app.url, emails.staff, PASSWORD);
    const before = await AuditLog.count({ where: { action: 'ai.query' } });
    for (const question of ['   ', 'x'.repeat(501)]) {
      const res = await page.request.post(`${app.url}/admin/api/pages/aiInsights`, { multipart: { question } });
      assert.equal(res.status(), 200);
      const body = await res.json();
      assert.equal(body.allowed, true);
      assert.match(body.error, /Ask a question|At most 500 characters/);
      assert.equal(body.answer, undefined);
    }
    assert.equal(await AuditLog.count({ where: { action: 'ai.query' } }), before);
    await context.close();
    const anonymous = await browser.newPage();
    const signedOut = await anonymous.page.request.get(`${app.url}/admin/api/pages/aiInsights`, { maxRedirects: 0 });
    assert.equal(signedOut.status(), 302, 'signed-out callers are sent to the login');
    await anonymous.context.close();
  });
});
