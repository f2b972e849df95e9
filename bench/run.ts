import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mysqlReachable, prepareDataset, type BenchDb } from './dataset.js';
import { startProcess, type Started } from './processes.js';
import { machine, table, TARGETS } from './report.js';
import { load, runScenarios, SCENARIOS, type ScenarioName, type ScenarioResult } from './scenarios.js';

const USAGE = `Usage: npm run bench -- [--db sqlite|mysql] [--products 100000] [--sales 1000000] [--duration 10] [--connections 50] [--only ${SCENARIOS.join(',')}] [--url /api/path [--body JSON]] [--fresh] [--profile]`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');

function whole(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number\n${USAGE}`);
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      products: { type: 'string' },
      sales: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'start-runs': { type: 'string' },
      profile: { type: 'boolean', default: false },
      url: { type: 'string' },
      body: { type: 'string' },
    },
  });
  if (values.body !== undefined && !values.url) throw new Error(`--body goes with --url\n${USAGE}`);
  if (values.url !== undefined && !values.url.startsWith('/')) throw new Error(`--url is a path on the server, such as /api/products/1\n${USAGE}`);
  if (values.db && values.db !== 'sqlite' && values.db !== 'mysql') throw new Error(`--db must be sqlite or mysql\n${USAGE}`);
  const db: BenchDb = (values.db as BenchDb | undefined) ?? ((await mysqlReachable()) ? 'mysql' : 'sqlite');
  const only = (values.only?.split(',') ?? [...SCENARIOS]) as ScenarioName[];
  const unknown = only.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length) throw new Error(`Unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  const loadOptions = { duration: whole('duration', values.duration, 10), connections: whole('connections', values.connections, 50) };
  const startRuns = whole('start-runs', values['start-runs'], 3);
  mkdirSync(resultsDir, { recursive: true });

  console.log(`Benchmark on ${db === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'}: ${loadOptions.connections} connections, ${loadOptions.duration} s per throughput scenario.`);
  const dataset = await prepareDataset({ db, products: whole('products', values.products, 100_000), sales: whole('sales', values.sales, 1_000_000), fresh: values.fresh, resultsDir, root });
  console.log(dataset.reused ? `Reusing the ${dataset.products} products / ${dataset.sales} sales data set (--fresh to regenerate).` : `Data set generated in ${dataset.seedSeconds} s.`);

  // The framework ceiling, measured in the same run on the same machine.
  const helloPort = 5400 + Math.floor(Math.random() * 400);
  const hello = await startProcess({ command: process.execPath, args: [path.join(root, 'bench', 'hello-world.mjs')], env: { ...process.env, PORT: String(helloPort) }, url: `http://127.0.0.1:${helloPort}`, readyPath: '/', logFile: path.join(resultsDir, 'hello-world.log') });
  const ceiling = await load('hello-world', 'Express hello world (ceiling)', hello.url, hello.pid, loadOptions);
  await hello.stop();

  const port = helloPort + 1;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: dataset.databaseUrl,
    DATA_DIR: path.join(resultsDir, `data-${db}`),
    UPLOAD_DIR: path.join(resultsDir, `data-${db}`, 'uploads'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: dataset.admin.email,
    ADMIN_PASSWORD: dataset.admin.password,
    SEED_DEMO: 'false',
    AI_RATE_LIMIT: '1000000',
    // Each run signs in twice (API and panel) on a data set that keeps its sign-in counts between runs.
    AUTH_RATE_LIMIT: '1000',
    OPENAI_API_KEY: '',
  };
  const startServer = () => startProcess({ command: process.execPath, args: [path.join(root, 'scripts', 'start.mjs')], env, url: `http://127.0.0.1:${port}`, readyPath: '/api/health', logFile: path.join(resultsDir, 'server.log') });
  // The first start builds when the sources changed; the timed starts are of a built checkout.
  let server: Started = await startServer();
  const starts: number[] = [];
  for (let i = 0; i < startRuns; i++) {
    await server.stop();
    server = await startServer();
    starts.push(server.startMs);
  }
  const startMs = [...starts].sort((a, b) => a - b)[Math.floor(starts.length / 2)];
  const startup: ScenarioResult = { name: 'startup', label: 'Start-up of the built server to health 200 (median)', requestsPerSec: 0, p50Ms: startMs, p99Ms: Math.max(...starts), requests: starts.length, errors: 0, peakRssMb: 0, extra: { runs: starts.length } };

  if (values.profile) {
    // The server under load, profiled: a .cpuprofile (Chrome DevTools, speedscope) written when it stops.
    await server.stop();
    server = await startProcess({ command: process.execPath, args: ['--cpu-prof', '--cpu-prof-dir', path.join(resultsDir, 'profiles'), path.join(root, 'scripts', 'start.mjs')], env, url: `http://127.0.0.1:${port}`, readyPath: '/api/health', logFile: path.join(resultsDir, 'server.log') });
  }
  let results: ScenarioResult[];
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(dataset.admin) });
    const { token } = (await login.json()) as { token?: string };
    if (!token) throw new Error(`sign-in answered ${login.status}`);
    results = values.url
      ? [await oneUrl(server, token, values.url, values.body, loadOptions)]
      : await runScenarios({ url: server.url, pid: server.pid, token, products: dataset.products, admin: dataset.admin }, loadOptions, only);
  } finally {
    await server.stop();
  }

  const all = [ceiling, ...results, startup];
  const report = table(all, ceiling.requestsPerSec);
  console.log(`\n${report}\n`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(resultsDir, `bench-${db}-${stamp}.json`);
  const targets = Object.fromEntries(all.filter((r) => TARGETS[r.name]).map((r) => [r.name, { target: TARGETS[r.name].text, met: TARGETS[r.name].met(r, ceiling.requestsPerSec) }]));
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: machine(), db, dataset: { products: dataset.products, sales: dataset.sales, reused: dataset.reused, seedSeconds: dataset.seedSeconds }, options: { ...loadOptions, startRuns }, results: all, targets, table: report }, null, 2));
  console.log(`Results written to ${path.relative(root, file)}`);
}

/**
 * `--url`: that one request alone (a POST with `--body`), signed in as the
 * data set's admin, after 2 s of the same load to warm the server up: for
 * comparing two builds of one path (the scenarios above run reads beside
 * sales, which move between runs).
 */
async function oneUrl(server: Started, token: string, url: string, body: string | undefined, options: { duration: number; connections: number }): Promise<ScenarioResult> {
  const cannon = {
    path: url,
    connections: options.connections,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { method: 'POST' as const, body }),
  };
  await load('url', url, server.url, server.pid, { ...cannon, duration: 2 });
  return load('url', `${body === undefined ? 'GET' : 'POST'} ${url} alone`, server.url, server.pid, { ...cannon, duration: options.duration });
}

main().catch((err: Error) => {
  console.error(`Benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
