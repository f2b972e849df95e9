import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, INTENTS } from '../../src/modules/ai/nlu/corpus.js';
import { understandEntities, type Catalog } from '../../src/modules/ai/nlu/entities.js';
import { classify } from '../../src/modules/ai/nlu/classifier.js';
import { expandShorthand, forClassifier, Vocabulary } from '../../src/modules/ai/nlu/normalise.js';
import { loadHeldOut } from '../ai-eval/score.js';

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const NOW = new Date('2026-06-17T13:00:00Z');
const catalog: Catalog = {
  products: [
    { id: 1, sku: 'NET-000001', name: 'Router A1', category: 'Networking' },
    { id: 2, sku: 'NET-000005', name: 'Cat6 Patch Cable 2m', category: 'Networking' },
    { id: 3, sku: 'NET-000006', name: 'Cat6 Patch Cable 5m', category: 'Networking' },
    { id: 4, sku: 'ELE-000001', name: 'Wireless Mouse', category: 'Electronics' },
    { id: 5, sku: 'ELE-000009', name: 'Printer Toner Cartridge', category: 'Electronics' },
    { id: 6, sku: 'FUR-000004', name: 'Cash Drawer', category: 'Furniture' },
    { id: 7, sku: 'KIT-000006', name: 'Water Bottle 750ml', category: 'Kitchen' },
  ],
  categories: ['Networking', 'Electronics', 'Furniture', 'Kitchen'],
  suppliers: [
    { id: 1, name: 'Northwind Electronics' },
    { id: 2, name: 'Contoso Networking' },
  ],
};
const read = (q: string) => understandEntities(q, catalog, NOW, 'UTC');

describe('AI training corpus', () => {
  it('when the corpus is built, then it has several hundred examples, a dozen or more per intent', () => {
    const all = INTENTS.flatMap((i) => CORPUS[i]);
    assert.ok(all.length >= 400, `${all.length} examples`);
    for (const intent of INTENTS) assert.ok(CORPUS[intent].length >= 12, `${intent}: ${CORPUS[intent].length}`);
    assert.equal(new Set(all.map(norm)).size, all.length, 'no example twice');
  });

  it('when the held-out questions are compared with the corpus, then none of them is in it', () => {
    const corpus = new Set(INTENTS.flatMap((i) => CORPUS[i]).map(norm));
    for (const set of ['heldout', 'fresh', 'blind', 'blind2', 'blind3', 'dev', 'check', 'dev2', 'check2']) for (const { q } of loadHeldOut(set).questions) assert.equal(corpus.has(norm(q)), false, q);
  });
});

describe('AI entity extraction', () => {
  it('when a question names a period in words, then it becomes a tool period (fixed clock, business zone)', () => {
    assert.deepEqual(read('sales since March 3').entities.period, { period: 'custom', from: '2026-03-03', to: '2026-06-17' });
    assert.deepEqual(read('revenue in October').entities.period, { period: 'custom', from: '2025-10-01', to: '2025-10-31' });
    assert.deepEqual(read('top products for May').entities.period, { period: 'custom', from: '2026-05-01', to: '2026-05-31' });
    assert.deepEqual(read('what did we sell over the past fortnight').entities.period, { period: 'custom', from: '2026-06-04', to: '2026-06-17' });
    assert.deepEqual(read('sales between March 1 and March 15').entities.period, { period: 'custom', from: '2026-03-01', to: '2026-03-15' });
    assert.deepEqual(read('revenue from 2026-01-01 to 2026-02-15').entities.period, { period: 'custom', from: '2026-01-01', to: '2026-02-15' });
    assert.deepEqual(read('revenue last quarter').entities.period, { period: 'custom', from: '2026-01-01', to: '2026-03-31' });
    assert.deepEqual(read('sales this month vs last month').entities.period, { period: 'this_month' });
    assert.deepEqual(read('revenue in the past 30 days').entities.period, { period: 'last_30_days' });
    assert.equal(read('what will revenue be next year').entities.future, true);
    assert.equal(read('what is low on stock?').entities.period, undefined);
    assert.deepEqual(read('revenue yday').entities.period, { period: 'yesterday' });
    assert.deepEqual(read('best sellers this wk').entities.period, { period: 'this_week' });
    assert.deepEqual(read('sales in Q1').entities.period, { period: 'custom', from: '2026-01-01', to: '2026-03-31' });
    assert.deepEqual(read('sales in the third quarter').entities.period, { period: 'custom', from: '2025-07-01', to: '2025-09-30' });
    assert.deepEqual(read('takings from 1 june to 10 june').entities.period, { period: 'custom', from: '2026-06-01', to: '2026-06-10' });
    assert.deepEqual(read('revenue from the 3rd to the 9th of May').entities.period, { period: 'custom', from: '2026-05-03', to: '2026-05-09' });
    assert.deepEqual(read('turnover since the start of May').entities.period, { period: 'custom', from: '2026-05-01', to: '2026-06-17' });
    assert.deepEqual(read('sales since the 1st of may').entities.period, { period: 'custom', from: '2026-05-01', to: '2026-06-17' });
  });

  it('when a question is typed in shorthand, with typos or synonyms, then the classifier sees the corpus words', () => {
    assert.equal(expandShorthand('whats revenue yday pls'), 'what is revenue yesterday please');
    assert.equal(expandShorthand('Router A1 qty'), 'Router A1 quantity', 'a product name is left alone');
    const vocabulary = new Vocabulary(['which items sell best', 'what is the revenue', 'over the past num days']);
    assert.equal(forClassifier('which itmes sell bets', vocabulary), 'which product sell best');
    assert.equal(forClassifier('takings over the past num days', vocabulary), 'revenue over the past num days', 'a period word is never mended into another word');
    assert.equal(forClassifier('which vendor earns the best margins'), 'which supplier revenue the best margin');
    assert.equal(forClassifier('could you tell me if sales dropped'), 'if sales trend', 'the polite frame dropped, a trend word folded');
    assert.equal(forClassifier('what has dropped below its minimum'), 'what has below its threshold', 'falling below a floor is not a trend');
    const shop = new Vocabulary(['what is low stock', 'what should we change', 'how many did we run out of']);
    assert.equal(forClassifier('what should we charge', shop), 'what should we charge', 'a real word is not mended into another');
    assert.equal(forClassifier('hi please lowstock thanks', shop), 'low stock', 'greetings dropped, words run together split');
    assert.equal(forClassifier('which lines are below their reorder level'), 'which product are below their threshold', 'a product\'s floor folded into one word');
    assert.equal(forClassifier('have we run dry of anything'), 'have we run out of anything');
  });

  it('when a question names a product loosely, with a typo or a plural, then the right product is found, and a lone common word is not one', () => {
    assert.equal(read('How many ruoter a1 are left?').entities.product?.name, 'Router A1');
    assert.equal(read('how many routers do we have').entities.product?.name, 'Router A1');
    assert.equal(read('stock of the cat6 patch cable 5m').entities.product?.name, 'Cat6 Patch Cable 5m');
    assert.equal(read('wireless mice left?').entities.product?.name, 'Wireless Mouse');
    assert.equal(read('stock of NET-000005').entities.product?.name, 'Cat6 Patch Cable 2m');
    assert.equal(read('how much cash did we make today').entities.product, undefined);
    assert.equal(read("what's the weather like").entities.looseProduct, undefined);
    assert.equal(read('when will the toner run out').entities.looseProduct?.name, 'Printer Toner Cartridge');
  });

  it('when a question names a supplier, a category, a metric, a direction or a limit, then each is read and masked for the classifier', () => {
    const supplier = read('How much did we order from northwind electronics last month?');
    assert.equal(supplier.entities.supplier?.name, 'Northwind Electronics');
    assert.equal(supplier.entities.category, undefined, 'the supplier name is not a category');
    assert.match(supplier.masked, /from suppliername periodname/);
    const ranked = read('which 3 networking products made the least profit');
    assert.deepEqual([ranked.entities.limit, ranked.entities.category, ranked.entities.metric, ranked.entities.direction], [3, 'Networking', 'margin', 'bottom']);
    assert.equal(read('top 10 by revenue in the last 30 days').entities.limit, 10);
    assert.equal(read('items with no sales in 90 days').entities.days, 90);
    assert.equal(read('what is in transit').entities.location, 'in transit');
    assert.equal(read('how much stock is on its way').entities.location, 'in transit');
    assert.equal(read('anything on the road between our shops').entities.location, 'in transit');
  });

  it('when the classifier sees masked questions it never saw, then it finds their intent', async () => {
    for (const [q, intent] of [
      ['which item made us the most money this week', 'top_products'],
      ['how many router a1 are there', 'product_stock'],
      ['what did we take last week', 'sales_total'],
      ['what should I order more of', 'reorder'],
      ['who is the president of france', 'none'],
    ] as const) {
      assert.equal((await classify(read(q).masked)).intent, intent, q);
    }
  });
});

describe('AI figure check', () => {
  it('when an answer quotes result figures (money, rounded, a dropped sign, a date), then nothing is unsupported; an invented one is reported', async () => {
    const { numbersIn, unsupportedNumbers } = await import('../../src/modules/ai/figure-check.js');
    assert.deepEqual(numbersIn('Router A1 sold 1,234 units for $708.00, down 7.7% (Cat6 Patch Cable 2m).'), [1234, 708, 7.7]);
    const results = { top: { products: [{ name: 'Router A1', units: 1234, revenue: 708 }] }, change: { revenuePct: -7.7 }, period: { from: '2026-06-01T00:00:00.000Z' } };
    assert.deepEqual(unsupportedNumbers('Router A1 sold 1,234 units ($708) since 2026-06-01, down 7.7%; about $700.', results, 'q', '2026-06-17'), [700]);
    assert.deepEqual(unsupportedNumbers('The top 3 are in.', results, 'top 3 products', '2026-06-17'), []);
    assert.deepEqual(unsupportedNumbers('Today, 2026-06-17, we sold 12 units.', results, 'q', '2026-06-17'), [12]);
  });
});
