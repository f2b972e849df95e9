import assert from 'node:assert/strict';
import { selectRows } from '../../src/db/index.js';
import { toDate } from '../../src/db/columns.js';
import { toCents } from '../../src/shared/money.js';
import { wallTime } from '../../src/shared/time-zone.js';

type Figures = Record<string, Record<string, number>>;

const day = (at: Date, timeZone: string) => {
  const w = wallTime(at, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
};

function add(into: Figures, key: string, values: Record<string, number>) {
  const row = (into[key] ??= {});
  for (const [name, value] of Object.entries(values)) row[name] = (row[name] ?? 0) + value;
}

/** The figures recomputed here from the base tables (every line of every document that is not cancelled), days in `timeZone`. */
async function fromBaseTables(timeZone: string) {
  const lines = await selectRows<Record<string, unknown>>(
    `SELECT 'sale' AS kind, s.id AS doc, s.created_at, s.subtotal, s.tax, s.total, si.product_id, si.quantity, si.line_total, si.unit_cost, p.category, p.supplier_id
       FROM sale_items si JOIN sales s ON s.id = si.sale_id JOIN products p ON p.id = si.product_id WHERE s.status <> 'cancelled'
     UNION ALL
     SELECT 'order', o.id, o.created_at, o.subtotal, o.tax, o.total, oi.product_id, oi.quantity, oi.line_total, 0, p.category, p.supplier_id
       FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.status <> 'cancelled'`,
  );
  const days: Figures = {};
  const products: Figures = {};
  const categories: Figures = {};
  const suppliers: Figures = {};
  const documents = new Set<string>();
  for (const l of lines) {
    const d = day(toDate(l.created_at)!, timeZone);
    const subtotal = Number(l.subtotal);
    const share = subtotal > 0 ? Number(l.line_total) / subtotal : 0;
    const quantity = Number(l.quantity);
    const revenue = share * Number(l.total);
    if (!documents.has(`${l.kind}${l.doc}`)) {
      documents.add(`${l.kind}${l.doc}`);
      add(days, d, { documents: 1, revenueCents: toCents(Number(l.total)) });
    }
    add(days, d, { units: quantity });
    add(products, `${d}|${l.product_id}`, {
      units: quantity,
      orderUnits: l.kind === 'order' ? quantity : 0,
      lines: 1,
      lineCents: toCents(Number(l.line_total)),
      revenue,
      netRevenue: share * (Number(l.total) - Number(l.tax)),
      saleCostCents: toCents(Number(l.unit_cost)) * quantity,
    });
    add(categories, `${d}|${l.category}`, { units: quantity, lines: 1, revenue });
    add(suppliers, `${d}|${l.supplier_id ?? 0}`, { units: quantity, lines: 1, revenue });
  }
  return { days, products, categories, suppliers };
}

/** The rollup tables, rows that hold a sold line only (a cancellation can leave zeros behind). */
export async function fromRollups() {
  const rows = (sql: string) => selectRows<Record<string, unknown>>(sql);
  const days: Figures = {};
  for (const r of await rows('SELECT * FROM sales_rollup_days WHERE documents <> 0 OR units <> 0')) {
    days[String(r.day)] = { documents: Number(r.documents), revenueCents: toCents(Number(r.revenue)), units: Number(r.units) };
  }
  const products: Figures = {};
  for (const r of await rows('SELECT * FROM sales_rollup_products WHERE line_count <> 0')) {
    products[`${r.day}|${r.product_id}`] = {
      units: Number(r.units),
      orderUnits: Number(r.order_units),
      lines: Number(r.line_count),
      lineCents: toCents(Number(r.line_total)),
      revenue: Number(r.revenue),
      netRevenue: Number(r.net_revenue),
      saleCostCents: toCents(Number(r.sale_cost)),
    };
  }
  const grouped = async (table: string, column: string) => {
    const out: Figures = {};
    for (const r of await rows(`SELECT * FROM ${table} WHERE line_count <> 0`)) out[`${r.day}|${r[column]}`] = { units: Number(r.units), lines: Number(r.line_count), revenue: Number(r.revenue) };
    return out;
  };
  return { days, products, categories: await grouped('sales_rollup_categories', 'category'), suppliers: await grouped('sales_rollup_suppliers', 'supplier_id') };
}

/** Every rollup row equals the aggregate of the base tables (revenue shares to a millionth of a cent; the rest exactly). */
export async function assertRollupsMatch(timeZone: string, label: string) {
  const [expected, actual] = await Promise.all([fromBaseTables(timeZone), fromRollups()]);
  const [state] = await selectRows<{ timezone: string }>('SELECT timezone FROM sales_rollup_state WHERE id = 1');
  assert.equal(state.timezone, timeZone, `${label}: rollups are in ${state.timezone}`);
  for (const table of ['days', 'products', 'categories', 'suppliers'] as const) {
    assert.deepEqual(Object.keys(actual[table]).sort(), Object.keys(expected[table]).sort(), `${label}: ${table} keys`);
    for (const [key, row] of Object.entries(expected[table])) {
      for (const [name, value] of Object.entries(row)) {
        const got = actual[table][key][name];
        if (name === 'revenue' || name === 'netRevenue') assert.ok(Math.abs(got - value) < 1e-6, `${label}: ${table} ${key} ${name}: ${got} <> ${value}`);
        else assert.equal(got, value, `${label}: ${table} ${key} ${name}`);
      }
    }
  }
  return expected;
}

