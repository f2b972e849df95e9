import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, stockInvariantViolations } from '../helpers/trade-fixtures.js';
import { selectRows, transaction } from '../../src/db/index.js';
import { toDate } from '../../src/db/columns.js';
import { applyStockChanges, applyStockHistory, type StockChange } from '../../src/modules/inventory/inventory.service.js';
import { createLocation, defaultLocation } from '../../src/modules/locations/location.service.js';
import { Product } from '../../src/modules/products/product.model.js';
import { AppError } from '../../src/shared/errors.js';

const HOUR = 3_600_000;
let skus = 0;

function product(name: string, lowStockThreshold: number) {
  skus += 1;
  return Product.create({ sku: `HIST-${process.pid}-${skus}`, name, price: 10, costPrice: 4, lowStockThreshold });
}

/** What a set of products' stock history left behind, with the products named by role (A, B) so two sets compare. */
async function footprint(roles: Record<string, number>) {
  const ids = Object.values(roles);
  const role = (id: unknown) => Object.keys(roles).find((r) => roles[r] === Number(id));
  const iso = (value: unknown) => toDate(value)?.toISOString() ?? null;
  const ledger = await selectRows<Record<string, unknown>>('SELECT * FROM stock_movements WHERE product_id IN (:ids) ORDER BY id', { ids });
  const levels = await selectRows<Record<string, unknown>>('SELECT * FROM stock_levels WHERE product_id IN (:ids) ORDER BY id', { ids });
  const products = await selectRows<Record<string, unknown>>('SELECT id, stock, updated_at FROM products WHERE id IN (:ids) ORDER BY id', { ids });
  const alerts = await selectRows<Record<string, unknown>>('SELECT * FROM stock_alerts WHERE product_id IN (:ids) ORDER BY id', { ids });
  const mails = await selectRows<{ ref_id: number }>("SELECT ref_id FROM mail_outbox WHERE kind = 'stock_alert' AND ref_id IN (SELECT id FROM stock_alerts WHERE product_id IN (:ids)) ORDER BY id", { ids });
  return {
    ledger: ledger.map((m) => [role(m.product_id), m.location_id, m.delta, m.balance_after, m.reason, m.reference_type, m.reference_id, m.note, iso(m.created_at)]),
    levels: levels.map((l) => [role(l.product_id), l.location_id, l.quantity, iso(l.created_at), iso(l.updated_at)]),
    products: products.map((p) => [role(p.id), p.stock, iso(p.updated_at)]),
    // Open (the mail worker turns 'pending' into 'sent' whenever it gets to it) or resolved.
    alerts: alerts.map((a) => [role(a.product_id), a.status === 'resolved' ? 'resolved' : 'open', a.stock_at_alert, a.threshold, a.resolved_at === null]),
    mails: mails.length,
  };
}

describe('stock history written in one go (applyStockHistory)', () => {
  let app: TestApp;
  let main: number;
  let back: number;
  before(async () => {
    app = await startTestApp();
    main = (await defaultLocation()).id;
    back = (await createLocation({ name: 'History back room', code: 'HIST', type: 'warehouse' }, { id: null })).id;
  });
  after(() => app.close());

  /** A history over products a and b: stock in, sold down through the threshold and back, moved between places, two lines of one product merged. */
  function history(a: number, b: number): StockChange[] {
    const at = (hours: number) => new Date(Date.UTC(2026, 2, 2) + hours * HOUR);
    return [
      { lines: [{ productId: a, delta: 12 }], context: { reason: 'initial', note: 'Opening stock', at: at(0) } },
      { lines: [{ productId: b, delta: 4 }, { productId: a, delta: 3, locationId: back }], context: { reason: 'purchase', referenceType: 'purchase', referenceId: 7, at: at(1) } },
      { lines: [{ productId: a, delta: -5 }, { productId: b, delta: -1 }, { productId: a, delta: -5 }], context: { reason: 'sale', referenceType: 'sale', referenceId: 1, at: at(2) } },
      { lines: [{ productId: a, delta: 9 }, { productId: b, delta: 0 }], context: { reason: 'purchase', referenceType: 'purchase', referenceId: 8, at: at(3) } },
      { lines: [{ productId: a, delta: -3, locationId: back }, { productId: a, delta: 3, locationId: main }], context: { reason: 'transfer_in', at: at(4) } },
      { lines: [{ productId: a, delta: -13, locationId: main }], context: { reason: 'sale', referenceType: 'sale', referenceId: 2, at: at(5) } },
    ];
  }

  it('when a history is written in one go, then the ledger, balances, levels, stock and alerts are those of the same changes made one by one', async () => {
    const [a1, b1, a2, b2] = [await product('History A one', 5), await product('History B one', 3), await product('History A two', 5), await product('History B two', 3)];
    await transaction(async () => {
      for (const change of history(a1.id, b1.id)) await applyStockChanges(change.lines, change.context);
    });
    assert.equal(await applyStockHistory(history(a2.id, b2.id)), 9);
    const oneByOne = await footprint({ A: a1.id, B: b1.id });
    const inOneGo = await footprint({ A: a2.id, B: b2.id });
    assert.deepEqual(inOneGo, oneByOne);
    // The story the history tells: A falls to 5 (alerted), is restocked (resolved) and ends at 1 (alerted again); B falls to 3 (alerted, still open).
    assert.deepEqual(inOneGo.products.map((p) => p.slice(0, 2)), [['A', 1], ['B', 3]]);
    assert.deepEqual(inOneGo.alerts.map((a) => a.slice(0, 3)), [['A', 'resolved', 5], ['B', 'open', 3], ['A', 'open', 1]]);
    assert.equal(inOneGo.mails, 3);
    assert.deepEqual(await stockInvariantViolations(), []);
  });

  it('when a change of the history would take a location below zero, then it fails with INSUFFICIENT_STOCK and writes nothing', async () => {
    const a = await product('History short at a place', 2);
    const before = { ledger: await count('stock_movements'), levels: await count('stock_levels') };
    const short: StockChange[] = [
      { lines: [{ productId: a.id, delta: 10 }], context: { reason: 'initial' } },
      // Ten in the shop, none in the back room: the total would do, the place does not.
      { lines: [{ productId: a.id, delta: -1, locationId: back }], context: { reason: 'sale' } },
    ];
    await assert.rejects(applyStockHistory(short), (err: unknown) => err instanceof AppError && err.code === 'INSUFFICIENT_STOCK' && / at HIST: requested 1, available 0/.test(err.message));
    assert.deepEqual({ ledger: await count('stock_movements'), levels: await count('stock_levels') }, before);
    assert.equal((await Product.findByPk(a.id))!.stock, 0);
  });

  it('when a later change of the history would take the total below zero, then the earlier changes roll back with it', async () => {
    const a = await product('History short in total', 2);
    const before = await count('stock_movements');
    const short: StockChange[] = [
      { lines: [{ productId: a.id, delta: 5 }], context: { reason: 'initial' } },
      { lines: [{ productId: a.id, delta: -3 }], context: { reason: 'sale' } },
      { lines: [{ productId: a.id, delta: -3 }], context: { reason: 'sale' } },
    ];
    await assert.rejects(applyStockHistory(short), (err: unknown) => err instanceof AppError && err.code === 'INSUFFICIENT_STOCK' && /requested 3, available 2/.test(err.message));
    assert.equal(await count('stock_movements'), before);
    assert.equal((await Product.findByPk(a.id))!.stock, 0);
  });
});
