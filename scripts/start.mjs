// `npm start`: compiles only when a source is newer than the last build, then runs the compiled server.
//
// The first start transpiles with esbuild (a second or so; `npm run build` and `npm run typecheck`
// are the type-checked path) and builds the panel's component bundle in a process of its own while
// the server migrates and seeds the database, so neither waits for the other.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const sourceDirs = ['src', 'plugins', 'seeders', 'scripts'];
const inputs = [...sourceDirs, 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

/** The TypeScript sources tsc would compile (panel components are bundled from source instead). */
function typescriptFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'components' ? [] : typescriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

async function transpile() {
  const { build } = await import('esbuild');
  rmSync(path.join(dist, '.tsbuildinfo'), { force: true });
  await build({
    entryPoints: sourceDirs.flatMap((dir) => typescriptFiles(path.join(root, dir))),
    outdir: dist,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (Math.max(...inputs.map((i) => newest(path.join(root, i)))) > built) {
  const started = performance.now();
  await transpile();
  writeFileSync(stamp, new Date().toISOString());
  console.log(`Compiled StockPilot in ${Math.round(performance.now() - started)} ms (first start or sources changed).`);
  // The analyst's trained model, for the next starts (this one trains its own after listening when the corpus changed).
  spawn(process.execPath, [path.join(dist, 'scripts', 'build-model.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] }).unref();
}

// The panel bundle, when missing or stale, is built beside the server's start-up; the server waits for it.
const { bundleIsFresh } = await import(path.join(dist, 'src', 'admin', 'index.js'));
const bundleDir = path.resolve(process.env.ADMIN_JS_TMP_DIR || 'admin-build');
if (!bundleIsFresh(bundleDir)) {
  // Built aside and moved in whole, so the waiting server never reads half a bundle.
  const building = `${bundleDir}.building`;
  rmSync(building, { recursive: true, force: true });
  process.env.ADMIN_BUNDLE_BUILDING = 'true';
  const builder = spawn(process.execPath, [path.join(dist, 'scripts', 'build-admin.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ADMIN_JS_TMP_DIR: building } });
  builder.once('exit', (code) => {
    if (code !== 0) {
      console.error('The admin panel bundle could not be built; see above.');
      process.exit(code ?? 1);
    }
    rmSync(bundleDir, { recursive: true, force: true });
    renameSync(building, bundleDir);
  });
}
await import(path.join(dist, 'src', 'server.js'));
