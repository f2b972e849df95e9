import autocannon, { type Request as CannonRequest } from 'autocannon';
import { cpuMs, databasePid, rssMb, withPeakRss } from './processes.js';

/** A running StockPilot to measure: where it listens, its pid (for RSS) and an admin's credentials. */
export interface BenchTarget {
  url: string;
  pid: number;
  token: string;
  /** Product ids of the data set are 1..products. */
  products: number;
  admin?: { email: string; password: string };
}

export interface LoadOptions {
  /** Seconds per throughput scenario. */
  duration: number;
  connections: number;
}

export interface ScenarioResult {
  name: string;
  label: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  peakRssMb: number;
  /** Scenario-specific figures (rows exported, oversold units...). */
  extra: Record<string, number>;
}

export const SCENARIOS = ['product-list', 'product-by-id', 'create-sale', 'dashboard-stats', 'ai-query', 'csv-export', 'admin-products'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

type Cannon = Omit<autocannon.Options, 'url'> & { path?: string };

/** Drives `url` with autocannon and samples the server's RSS meanwhile. */
export async function load(name: string, label: string, url: string, pid: number, options: Cannon): Promise<ScenarioResult> {
  const dbPid = await databasePid();
  const cpuBefore = [await cpuMs(pid), dbPid && (await cpuMs(dbPid))];
  const started = performance.now();
  const { result, peakRssMb } = await withPeakRss(pid, () => autocannon({ url: url + (options.path ?? '/'), ...options }));
  const elapsed = performance.now() - started;
  const cpuAfter = [await cpuMs(pid), dbPid && (await cpuMs(dbPid))];
  // Share of one core the server (and a local database server) used during the load, and the server's CPU per request.
  const used = cpuBefore.map((before, i) => (before !== undefined && cpuAfter[i] !== undefined ? Number(cpuAfter[i]) - Number(before) : undefined));
  const cpu = {
    ...(used[0] !== undefined ? { serverCpuPct: Math.round((100 * used[0]) / elapsed), serverCpuUsPerRequest: Math.round((1000 * used[0]) / Math.max(1, result.requests.total)) } : {}),
    ...(used[1] !== undefined ? { databaseCpuPct: Math.round((100 * used[1]) / elapsed) } : {}),
  };
  const statusCounts = result.statusCodeStats as unknown as Record<string, { count: number }> | undefined;
  return {
    name,
    label,
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    peakRssMb,
    extra: { ...Object.fromEntries(Object.entries(statusCounts ?? {}).map(([code, { count }]) => [`status${code}`, count])), ...cpu },
  };
}

/** Cycles through `paths`, one per request. */
function rotating(paths: string[]): CannonRequest[] {
  let next = 0;
  return [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }];
}

async function api<T>(target: BenchTarget, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(target.url + path, {
    method,
    headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

function bearer(target: BenchTarget) {
  return { authorization: `Bearer ${target.token}` };
}

const SEARCH_TERMS = ['lamp', 'router', 'pro', 'desk', 'cable', 'eco', 'acme', 'mouse'];
const SORTS = ['name', '-price', 'stock', '-createdAt'];

/**
 * The list under load while sales run beside it (withSaleLoad). Each URL is
 * first requested once, one after another, and that pass is reported too
 * (`coldP50Ms`, `coldMaxMs`).
 */
function productList(target: BenchTarget, options: LoadOptions) {
  const paths = SEARCH_TERMS.flatMap((term) => SORTS.flatMap((sort) => [1, 2, 3].map((page) => `/api/products?search=${term}&sort=${sort}&page=${page}&limit=20`)));
  return async (name: string): Promise<ScenarioResult> => {
    const cold: number[] = [];
    for (const path of paths) {
      const started = performance.now();
      const res = await api(target, 'GET', path);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      cold.push(performance.now() - started);
    }
    cold.sort((a, b) => a - b);
    const result = await withSaleLoad(target, options, (readers) =>
      loadScenario(name, 'Product list (search, sort, page of 20) beside sales', target, { ...readers, headers: bearer(target), requests: rotating(paths) }),
    );
    return { ...result, extra: { ...result.extra, urls: paths.length, coldP50Ms: Math.round(cold[Math.floor(cold.length / 2)]), coldMaxMs: Math.round(cold[cold.length - 1]) } };
  };
}

function productById(target: BenchTarget, options: LoadOptions) {
  const paths = Array.from({ length: 1000 }, () => `/api/products/${1 + Math.floor(Math.random() * target.products)}`);
  return (name: string) =>
    withSaleLoad(target, options, (readers) => loadScenario(name, 'Product by id beside sales', target, { ...readers, headers: bearer(target), requests: rotating(paths) }));
}

/** How many of the scenario's connections sell while the others read (withSaleLoad). */
export const SELLING_CONNECTIONS = 10;

/** The products withSaleLoad sells: ten, spread over the catalogue. */
const sellerIds = (target: BenchTarget) => Array.from({ length: 10 }, (_, i) => 1 + Math.floor((i * target.products) / 10));

/**
 * Runs a read scenario on `connections - SELLING_CONNECTIONS` connections
 * while the other SELLING_CONNECTIONS post one-line sales the whole time
 * (products given plenty of stock first), so a cache that every sale clears
 * earns nothing. The sales' rate and errors are added to the result
 * (`salesPerSec`, `saleErrors`).
 */
async function withSaleLoad(target: BenchTarget, options: LoadOptions, read: (readers: LoadOptions) => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const sellers = Math.min(SELLING_CONNECTIONS, Math.max(1, options.connections - 1));
  const ids = sellerIds(target);
  for (const id of ids) {
    const adjusted = await api(target, 'POST', `/api/products/${id}/adjust-stock`, { delta: 100_000, reason: 'correction', note: 'benchmark stock' });
    if (adjusted.status !== 200) throw new Error(`adjust-stock answered ${adjusted.status}`);
  }
  const bodies = ids.map((productId) => JSON.stringify({ items: [{ productId, quantity: 1 }] }));
  let next = 0;
  let done: (r: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => (done = resolve));
  const selling = autocannon({
    url: `${target.url}/api/sales`,
    method: 'POST',
    connections: sellers,
    duration: options.duration + 30,
    headers: { ...bearer(target), 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, method: 'POST', body: bodies[next++ % bodies.length] }) }],
  }, (err, r) => (err ? done({ requests: { total: 0 }, errors: 1, timeouts: 0, non2xx: 0 } as autocannon.Result) : done(r)));
  const started = performance.now();
  let result: ScenarioResult;
  try {
    result = await read({ ...options, connections: options.connections - sellers });
  } finally {
    selling.stop();
  }
  const sales = await finished;
  const seconds = (performance.now() - started) / 1000;
  return {
    ...result,
    extra: { ...result.extra, sellingConnections: sellers, salesPerSec: Math.round(sales.requests.total / seconds), saleErrors: sales.errors + sales.timeouts + sales.non2xx },
  };
}

function loadScenario(name: string, label: string, target: BenchTarget, options: Cannon) {
  return load(name, label, target.url, target.pid, options);
}

interface ProductJson {
  id: number;
  stock: number;
}

/**
 * One-line sales at full load on products given plenty of stock, then checks
 * that every 201 took exactly one unit. Then the oversell probe: 100
 * concurrent one-unit sales of a product with 20 in stock must give exactly
 * 20 sales and leave 0.
 */
function createSale(target: BenchTarget, options: LoadOptions) {
  return async (name: string): Promise<ScenarioResult> => {
    // Products the read scenarios' background sellers never touch, so a late sale of theirs cannot land in this count.
    const busy = new Set(sellerIds(target));
    const ids = Array.from({ length: target.products }, (_, i) => i + 1)
      .filter((id) => !busy.has(id))
      .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 50)) === 0)
      .slice(0, 50);
    const before = new Map<number, number>();
    for (const id of ids) {
      const adjusted = await api<ProductJson>(target, 'POST', `/api/products/${id}/adjust-stock`, { delta: 1_000_000, reason: 'correction', note: 'benchmark stock' });
      if (adjusted.status !== 200) throw new Error(`adjust-stock answered ${adjusted.status}`);
      before.set(id, adjusted.body.stock);
    }
    const bodies = ids.map((productId) => JSON.stringify({ items: [{ productId, quantity: 1 }] }));
    // Counted by the list's total per product, not by time: the server's clock decides the sales' dates.
    const recorded = async () => {
      let total = 0;
      for (const id of ids) total += (await api<{ total: number }>(target, 'GET', `/api/sales?productId=${id}&limit=1`)).body.total;
      return total;
    };
    const salesBefore = await recorded();
    let next = 0;
    const result = await loadScenario(name, 'POST /api/sales (one line)', target, {
      ...options,
      path: '/api/sales',
      method: 'POST',
      headers: { ...bearer(target), 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, method: 'POST', body: bodies[next++ % bodies.length] }) }],
    });
    // Requests still in flight when the load stops complete on the server (a sale waiting on a lock may
    // commit a while later): read the sales count and the stock until they agree, or until they have not
    // moved for a few seconds, so a late commit is not counted as a mismatch and a real one still shows.
    const unitsSold = async () => {
      let units = 0;
      for (const id of ids) units += before.get(id)! - (await api<ProductJson>(target, 'GET', `/api/products/${id}`)).body.stock;
      return units;
    };
    let salesRecorded = (await recorded()) - salesBefore;
    let sold = await unitsSold();
    for (let still = 0; sold !== salesRecorded && still < 10; ) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [count, units] = [(await recorded()) - salesBefore, await unitsSold()];
      still = count === salesRecorded && units === sold ? still + 1 : 0;
      [salesRecorded, sold] = [count, units];
    }

    const probe = await api<ProductJson>(target, 'POST', '/api/products', { name: `Oversell probe ${Date.now()}`, category: 'Benchmark', price: 1, costPrice: 0.5, stock: 20 });
    if (probe.status !== 201) throw new Error(`creating the probe product answered ${probe.status}`);
    const race = await autocannon({
      url: `${target.url}/api/sales`,
      method: 'POST',
      connections: 50,
      amount: 100,
      headers: { ...bearer(target), 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ productId: probe.body.id, quantity: 1 }] }),
    });
    const raceCodes = race.statusCodeStats as unknown as Record<string, { count: number }>;
    const left = (await api<ProductJson>(target, 'GET', `/api/products/${probe.body.id}`)).body.stock;
    const raceSold = raceCodes['201']?.count ?? 0;
    return {
      ...result,
      extra: {
        ...result.extra,
        unitsSold: sold,
        salesRecorded,
        // One unit per sale: units that left stock without a sale, or sales that took no stock.
        mismatchedUnits: Math.abs(sold - salesRecorded),
        oversold: Math.max(0, raceSold - 20) + Math.max(0, -left) + Math.abs(20 - raceSold - left),
        probeSales: raceSold,
        probeConflicts: raceCodes['409']?.count ?? 0,
      },
    };
  };
}

/** Single-request latency: one connection, one request after another. */
function sequential(label: string, target: BenchTarget, options: LoadOptions, cannon: Cannon) {
  return (name: string) => loadScenario(name, label, target, { duration: Math.min(options.duration, 10), connections: 1, ...cannon });
}

/** p50 and max of a list of milliseconds, rounded. */
function spread(ms: number[]): { p50: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: Math.round(sorted[sorted.length - 1] ?? 0) };
}

async function timed(target: BenchTarget, method: string, path: string, body?: unknown): Promise<number> {
  const started = performance.now();
  const res = await api(target, method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}`);
  return performance.now() - started;
}

/**
 * Dashboard figures right after a sale: a one-line sale, then the figures
 * (which the sale invalidated, so nothing is cached), one after another for
 * the scenario's duration; p50 and max of the figures' requests.
 */
function dashboardStats(target: BenchTarget, options: LoadOptions) {
  return async (name: string): Promise<ScenarioResult> => {
    const productId = 1;
    const adjusted = await api(target, 'POST', `/api/products/${productId}/adjust-stock`, { delta: 100_000, reason: 'correction', note: 'benchmark stock' });
    if (adjusted.status !== 200) throw new Error(`adjust-stock answered ${adjusted.status}`);
    const times: number[] = [];
    const { peakRssMb } = await withPeakRss(target.pid, async () => {
      const until = performance.now() + Math.min(options.duration, 10) * 1000;
      while (performance.now() < until || times.length < 5) {
        const sale = await api(target, 'POST', '/api/sales', { items: [{ productId, quantity: 1 }] });
        if (sale.status !== 201) throw new Error(`the sale answered ${sale.status}`);
        times.push(await timed(target, 'GET', '/api/dashboard/stats'));
      }
    });
    const { p50, max } = spread(times);
    return { name, label: 'GET /api/dashboard/stats right after a sale (uncached)', requestsPerSec: 0, p50Ms: p50, p99Ms: max, requests: times.length, errors: 0, peakRssMb, extra: { maxMs: max } };
  };
}

/** The built-in analyst's question kinds the benchmark asks, each by one typical question. */
const QUESTIONS = {
  topProducts: 'Which product had the most sales this month?',
  salesSummary: 'Sales summary for last month',
  lowStock: 'Which products are low on stock?',
  reorder: 'What should I reorder?',
  stockValue: 'What is my stock worth?',
  byCategory: 'Revenue by category this year',
} as const;

/**
 * The built-in analyst, question after question, each kind asked several
 * times (p50 and max per kind and over all). One question first, untimed and
 * reported as `firstMs`: the classifier trains once per process.
 */
function aiQuery(target: BenchTarget, options: LoadOptions) {
  return async (name: string): Promise<ScenarioResult> => {
    const started = performance.now();
    const first = await api(target, 'POST', '/api/ai/query', { question: QUESTIONS.topProducts });
    if (first.status !== 200) throw new Error(`the AI query answered ${first.status}`);
    const firstMs = Math.round(performance.now() - started);
    const rounds = Math.max(3, Math.min(10, options.duration));
    const perKind = new Map<string, number[]>(Object.keys(QUESTIONS).map((kind) => [kind, []]));
    const { peakRssMb } = await withPeakRss(target.pid, async () => {
      for (let round = 0; round < rounds; round++) {
        for (const [kind, question] of Object.entries(QUESTIONS)) perKind.get(kind)!.push(await timed(target, 'POST', '/api/ai/query', { question }));
      }
    });
    const all = spread([...perKind.values()].flat());
    const extra: Record<string, number> = { firstMs, maxMs: all.max };
    for (const [kind, ms] of perKind) {
      const { p50, max } = spread(ms);
      extra[`${kind}P50Ms`] = p50;
      extra[`${kind}MaxMs`] = max;
    }
    return { name, label: 'POST /api/ai/query (built-in analyst, each kind)', requestsPerSec: 0, p50Ms: all.p50, p99Ms: all.max, requests: rounds * perKind.size, errors: 0, peakRssMb, extra };
  };
}

/** The whole sales export as CSV, read to the end: rows per second, and the server's RSS growth during the export (peak - before). */
function csvExport(target: BenchTarget) {
  return async (name: string): Promise<ScenarioResult> => {
    const rssBefore = await rssMb(target.pid);
    const started = performance.now();
    const { result, peakRssMb } = await withPeakRss(target.pid, async () => {
      const res = await fetch(`${target.url}/api/sales/export?format=csv`, { headers: bearer(target) });
      if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
      let newlines = 0;
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
      }
      return { rows: Math.max(0, newlines - 1), bytes };
    });
    const ms = performance.now() - started;
    return {
      name,
      label: 'CSV export of every sale line',
      requestsPerSec: 0,
      p50Ms: Math.round(ms),
      p99Ms: Math.round(ms),
      requests: 1,
      errors: 0,
      peakRssMb,
      extra: { rows: result.rows, rowsPerSec: Math.round((result.rows / ms) * 1000), megabytes: Math.round(result.bytes / 1e6), rssBeforeMb: rssBefore, rssGrowthMb: Math.max(0, peakRssMb - rssBefore) },
    };
  };
}

/** Signs in to the panel like the login form does and returns the session cookie. */
export async function adminSession(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (res.status !== 302 || !cookie) throw new Error(`panel sign-in answered ${res.status}`);
  return cookie;
}

/** What the products list page asks the server for: the list action's first page (AdminJS sorts and counts). */
function adminProducts(target: BenchTarget, options: LoadOptions) {
  return async (name: string): Promise<ScenarioResult> => {
    if (!target.admin) throw new Error('admin-products needs the admin credentials');
    const cookie = await adminSession(target.url, target.admin.email, target.admin.password);
    const path = '/admin/api/resources/products/actions/list?page=1';
    const check = await fetch(target.url + path, { headers: { cookie } });
    const body = (await check.json()) as { meta?: { total?: number }; records?: unknown[] };
    if (check.status !== 200 || !body.records?.length) throw new Error(`the products list answered ${check.status} without records`);
    const result = await sequential('AdminJS products list (signed in)', target, options, { path, headers: { cookie } })(name);
    return { ...result, extra: { ...result.extra, productsListed: body.meta?.total ?? 0 } };
  };
}

/** Runs the chosen scenarios in order against a running server. */
export async function runScenarios(target: BenchTarget, options: LoadOptions, only: readonly ScenarioName[] = SCENARIOS): Promise<ScenarioResult[]> {
  const runners: Record<ScenarioName, (name: string) => Promise<ScenarioResult>> = {
    'product-list': productList(target, options),
    'product-by-id': productById(target, options),
    'create-sale': createSale(target, options),
    'dashboard-stats': dashboardStats(target, options),
    'ai-query': aiQuery(target, options),
    'csv-export': csvExport(target),
    'admin-products': adminProducts(target, options),
  };
  const results = [];
  for (const name of only) results.push(await runners[name](name));
  return results;
}
