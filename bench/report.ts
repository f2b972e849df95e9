import os from 'node:os';
import type { ScenarioResult } from './scenarios.js';

export interface Target {
  text: string;
  met(result: ScenarioResult, ceiling: number): boolean;
}

const ratio = (r: ScenarioResult, ceiling: number) => (ceiling ? r.requestsPerSec / ceiling : 0);

/** The targets of the benchmark issue, per scenario. */
export const TARGETS: Record<string, Target> = {
  'product-list': { text: '>= 20% of ceiling, p99 <= 50 ms, beside sales', met: (r, c) => ratio(r, c) >= 0.2 && r.p99Ms <= 50 },
  'product-by-id': { text: '>= 25% of ceiling, beside sales', met: (r, c) => ratio(r, c) >= 0.25 },
  'create-sale': {
    text: '>= 15% of ceiling, 0 errors, 0 oversold',
    met: (r, c) => ratio(r, c) >= 0.15 && r.errors === 0 && r.extra.oversold === 0 && r.extra.mismatchedUnits === 0,
  },
  'dashboard-stats': { text: 'p50 <= 50 ms (uncached, right after a sale)', met: (r) => r.p50Ms <= 50 },
  // Every kind's own p50 and max, not only the figures over all questions.
  'ai-query': {
    text: 'p50 <= 100 ms, max <= 300 ms (each kind)',
    met: (r) => Object.entries(r.extra).every(([key, ms]) => !(key.endsWith('P50Ms') && ms > 100) && !(key.endsWith('MaxMs') && ms > 300)) && r.extra.maxMs <= 300,
  },
  'csv-export': { text: '>= 150,000 rows/s, RSS growth <= 50 MB', met: (r) => r.extra.rowsPerSec >= 150_000 && r.extra.rssGrowthMb <= 50 },
  'admin-products': { text: 'p50 <= 300 ms', met: (r) => r.p50Ms <= 300 },
  startup: { text: '<= 3,000 ms to health 200', met: (r) => r.p50Ms <= 3000 },
};

export function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.type()} ${os.release()}` };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The background sales of a read scenario run beside them (withSaleLoad). */
const saleLoad = (e: Record<string, number>) => `${e.sellingConnections} connections selling meanwhile: ${fmt(e.salesPerSec)} sales/s, ${e.saleErrors} errors`;

/** The server's CPU during the load (share of one core, per request) and the local database server's, when measured. */
function cpu(e: Record<string, number>): string {
  if (e.serverCpuPct === undefined) return '';
  const database = e.databaseCpuPct === undefined ? '' : `, database ${e.databaseCpuPct}%`;
  return `; server CPU ${e.serverCpuPct}% of a core, ${fmt(e.serverCpuUsPerRequest)} µs per request${database}`;
}

function notes(r: ScenarioResult): string {
  const e = r.extra;
  if (r.name === 'csv-export') return `${fmt(e.rows)} rows, ${fmt(e.rowsPerSec)} rows/s, ${fmt(e.megabytes)} MB, RSS growth ${fmt(e.rssGrowthMb)} MB`;
  if (r.name === 'ai-query') {
    const kinds = Object.keys(e).filter((k) => k.endsWith('P50Ms')).map((k) => k.slice(0, -5));
    return `${kinds.map((k) => `${k} ${fmt(e[`${k}P50Ms`])}/${fmt(e[`${k}MaxMs`])} ms`).join(', ')} (p50/max); first question ${fmt(e.firstMs)} ms`;
  }
  if (r.name === 'create-sale') return `${fmt(e.salesRecorded)} sales recorded, ${fmt(e.unitsSold)} units sold, ${e.mismatchedUnits} mismatched, ${e.oversold} oversold (probe: ${e.probeSales} of 20 sold, ${e.probeConflicts} x 409)${cpu(e)}`;
  if (r.name === 'hello-world' || r.name === 'url') return cpu(e).slice(2);
  if (r.name === 'product-list') return `${e.urls} URLs; first pass one by one: p50 ${fmt(e.coldP50Ms)} ms, max ${fmt(e.coldMaxMs)} ms; ${saleLoad(e)}`;
  if (r.name === 'product-by-id') return saleLoad(e);
  if (r.name === 'dashboard-stats') return `${fmt(r.requests)} sale + figures rounds; p99 column: max`;
  if (r.name === 'admin-products') return `${fmt(e.productsListed)} products`;
  if (r.name === 'startup') return `runs: ${e.runs}`;
  return '';
}

/** The results as a Markdown table (printed, and pasted into the README). */
export function table(results: ScenarioResult[], ceiling: number): string {
  const rows = [
    ['Scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs hello', 'peak RSS MB', 'target', 'met', 'notes'],
    ...results.map((r) => {
      const target = TARGETS[r.name];
      return [
        r.label,
        r.requestsPerSec ? fmt(r.requestsPerSec) : '',
        String(r.p50Ms),
        String(r.p99Ms),
        String(r.errors),
        r.requestsPerSec && r.name !== 'hello-world' ? `${Math.round(ratio(r, ceiling) * 100)}%` : '',
        r.peakRssMb ? String(r.peakRssMb) : '',
        target?.text ?? '',
        target ? (target.met(r, ceiling) ? 'yes' : 'NO') : '',
        notes(r),
      ];
    }),
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}
