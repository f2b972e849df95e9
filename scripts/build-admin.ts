import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, useConfig } from '../src/config/index.js';
import { initDatabase } from '../src/db/index.js';
import { buildAdmin, bundleFile } from '../src/admin/index.js';

/**
 * `npm run build` step: bundles the panel's custom components ahead of time
 * into ADMIN_JS_TMP_DIR (default ./admin-build), so a production start skips
 * bundling. The bundler only runs in production mode, hence NODE_ENV here.
 */
const COMPONENT_DIRS = ['src/admin/components', 'plugins'];

function newestSource(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newestSource(full) : /\.(jsx|tsx)$/.test(entry.name) ? statSync(full).mtimeMs : 0;
    }),
  );
}

/** `npm start` runs the build first: an up-to-date bundle is kept, so starting stays fast. */
function upToDate(): boolean {
  const bundle = bundleFile();
  if (!existsSync(bundle)) return false;
  const sources = Math.max(...COMPONENT_DIRS.map(newestSource), statSync('package-lock.json').mtimeMs);
  return statSync(bundle).mtimeMs > sources;
}

async function main() {
  const started = performance.now();
  const config = useConfig(
    loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: 'build-only-secret-not-used-0123456789abcdef',
      SESSION_SECRET: 'build-only-secret-not-used-fedcba9876543210',
      ADMIN_PASSWORD: 'build-only-password',
      SEED_DEMO: 'false',
    }),
  );
  if (upToDate() && !process.argv.includes('--force')) {
    console.log(`Admin bundle is up to date (${bundleFile()})`);
    return;
  }
  // Resources need model classes initialised; nothing is queried while bundling.
  initDatabase('sqlite::memory:');
  process.env.NODE_ENV = 'production';
  const panel = await buildAdmin({ forceBundle: true });
  await panel.ready();
  panel.close();
  console.log(`Admin bundle written to ${bundleFile()} (${config.adminBundleDir}) in ${Math.round(performance.now() - started)} ms`);
  process.exit(0);
}

main().catch((err: Error) => {
  console.error(`Admin bundle failed: ${err.message}`);
  process.exit(1);
});
