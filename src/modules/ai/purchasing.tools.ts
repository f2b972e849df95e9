import { z } from '../../shared/zod.js';
import { fromCents, toCents, toMoney } from '../../shared/money.js';
import { describeRange, periodArgs, resolvePeriod } from './periods.js';
import { defineTool, round1, select } from './tool.js';
import { editDistance, normalise } from './product-match.js';
import { toDate } from '../../db/columns.js';

const RangeSchema = z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() });
const OPEN = "('ordered', 'partially_received')";

interface PurchaseRow {
  id: number;
  supplier_id: number | null;
  status: string;
  total_cost: string | number;
  created_at: unknown;
  received_at: unknown;
}

/** Purchases (not cancelled) created in a range; no notes or references, which are free text. */
function purchasesIn(from: Date, to: Date) {
  return select<PurchaseRow>(
    `SELECT id, supplier_id, status, total_cost, created_at, received_at FROM purchases
     WHERE status <> 'cancelled' AND created_at >= :from AND created_at < :to`,
    { from, to },
  );
}

export const supplierPerformance = defineTool({
  name: 'supplier_performance',
  description: 'Per supplier: spend and number of purchases in a period, configured lead time, actual average lead time of purchases received in the period (days from order to receipt), open purchase orders.',
  args: z.object({ ...periodArgs, limit: z.number().int().min(1).max(50).default(10) }),
  result: z.object({
    period: RangeSchema,
    suppliers: z.array(
      z.object({
        supplierId: z.number(),
        name: z.string(),
        spend: z.number(),
        purchases: z.number(),
        leadTimeDays: z.number(),
        actualLeadTimeDays: z.number().nullable(),
        openOrders: z.number(),
      }),
    ),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const [suppliers, rows, open] = await Promise.all([
      select<{ id: number; name: string; lead_time_days: number }>('SELECT id, name, lead_time_days FROM suppliers ORDER BY id'),
      purchasesIn(range.from, range.to),
      select<{ supplier_id: number; n: number | string }>(`SELECT supplier_id, COUNT(*) AS n FROM purchases WHERE status IN ${OPEN} GROUP BY supplier_id`),
    ]);
    const openBy = new Map(open.map((r) => [Number(r.supplier_id), Number(r.n)]));
    const figures = suppliers.map((s) => {
      const mine = rows.filter((r) => Number(r.supplier_id) === Number(s.id));
      const leads = mine
        .map((r) => {
          const created = toDate(r.created_at);
          const received = toDate(r.received_at);
          return created && received ? (received.getTime() - created.getTime()) / 86_400_000 : null;
        })
        .filter((d): d is number => d !== null);
      return {
        supplierId: Number(s.id),
        name: String(s.name),
        spend: fromCents(mine.reduce((sum, r) => sum + toCents(r.total_cost), 0)),
        purchases: mine.length,
        leadTimeDays: Number(s.lead_time_days),
        actualLeadTimeDays: leads.length ? round1(leads.reduce((a, b) => a + b, 0) / leads.length) : null,
        openOrders: openBy.get(Number(s.id)) ?? 0,
      };
    });
    figures.sort((a, b) => b.spend - a.spend || b.openOrders - a.openOrders || a.supplierId - b.supplierId);
    return { period: describeRange(range), suppliers: figures.slice(0, args.limit) };
  },
});

/** The supplier a name means: exact, then contained, then closest by edit distance. */
function matchSupplier<S extends { id: number; name: string }>(query: string, suppliers: S[]): S | undefined {
  const q = normalise(query);
  return (
    suppliers.find((s) => normalise(s.name) === q) ??
    suppliers.find((s) => normalise(s.name).includes(q) || q.includes(normalise(s.name))) ??
    suppliers.find((s) => normalise(s.name).split(' ').some((w) => w.length >= 4 && editDistance(w, q.split(' ')[0] ?? '') <= 1))
  );
}

export const purchasesInPeriod = defineTool({
  name: 'purchases_in_period',
  description: 'Purchases (stock bought from suppliers, cancelled ones excluded) created in a period, optionally from one supplier (by name, fuzzy): count, total cost, units, how many are received or still open, and spend per supplier.',
  args: z.object({ ...periodArgs, supplier: z.string().trim().min(1).max(100).optional().describe('Only purchases from this supplier (name or part of it)') }),
  result: z.object({
    period: RangeSchema,
    supplier: z.object({ supplierId: z.number(), name: z.string() }).nullable(),
    count: z.number(),
    cost: z.number(),
    units: z.number(),
    received: z.number(),
    open: z.number(),
    bySupplier: z.array(z.object({ supplierId: z.number().nullable(), name: z.string(), count: z.number(), cost: z.number() })),
  }),
  async run(args, ctx) {
    const range = resolvePeriod(args, ctx.settings.timezone, ctx.now);
    const suppliers = await select<{ id: number; name: string }>('SELECT id, name FROM suppliers ORDER BY id');
    const wanted = args.supplier ? matchSupplier(args.supplier, suppliers) : undefined;
    const only = args.supplier ? 'AND pu.supplier_id = :supplierId' : '';
    const [all, [units]] = await Promise.all([
      purchasesIn(range.from, range.to),
      select<{ units: number | string | null }>(
        `SELECT COALESCE(SUM(pi.quantity), 0) AS units FROM purchase_items pi JOIN purchases pu ON pu.id = pi.purchase_id
         WHERE pu.status <> 'cancelled' AND pu.created_at >= :from AND pu.created_at < :to ${only}`,
        { from: range.from, to: range.to, supplierId: wanted?.id ?? -1 },
      ),
    ]);
    // A supplier that was asked for but matches none has no purchases (never everyone's).
    const rows = args.supplier ? all.filter((r) => wanted && Number(r.supplier_id) === Number(wanted.id)) : all;
    const names = new Map(suppliers.map((s) => [Number(s.id), String(s.name)]));
    const by = new Map<number | null, { count: number; cents: number }>();
    for (const r of rows) {
      const key = r.supplier_id === null ? null : Number(r.supplier_id);
      const entry = by.get(key) ?? { count: 0, cents: 0 };
      entry.count += 1;
      entry.cents += toCents(r.total_cost);
      by.set(key, entry);
    }
    return {
      period: describeRange(range),
      supplier: wanted ? { supplierId: Number(wanted.id), name: String(wanted.name) } : null,
      count: rows.length,
      cost: fromCents(rows.reduce((sum, r) => sum + toCents(r.total_cost), 0)),
      units: Number(units.units),
      received: rows.filter((r) => r.status === 'received').length,
      open: rows.filter((r) => r.status === 'ordered' || r.status === 'partially_received').length,
      bySupplier: [...by.entries()]
        .map(([supplierId, e]) => ({ supplierId, name: supplierId === null ? 'No supplier' : (names.get(supplierId) ?? 'Unknown'), count: e.count, cost: toMoney(fromCents(e.cents)) }))
        .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name)),
    };
  },
});
