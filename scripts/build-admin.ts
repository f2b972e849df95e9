import { performance } from 'node:perf_hooks';
import { loadConfig, useConfig } from '../src/config/index.js';
import { initDatabase } from '../src/db/index.js';
import { buildAdmin, bundleFile, bundleIsFresh } from '../src/admin/index.js';

/**
 * `npm run build` step: bundles the panel's custom components ahead of time
 * into ADMIN_JS_TMP_DIR (default ./admin-build), so a production start skips
 * bundling. The bundler only runs in production mode, hence NODE_ENV here.
 */
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
  if (bundleIsFresh() && !process.argv.includes('--force')) {
    console.log(`Admin bundle is up to date (${bundleFile()})`);
    return;
  }
  // Resources need model classes initialised; nothing is queried while bundling.
  initDatabase('sqlite::memory:');
  process.env.NODE_ENV = 'production';
  const panel = await buildAdmin({ forceBundle: true, plugins: async () => (await import('../plugins/index.js')).panelPlugins() });
  await panel.ready();
  panel.close();
  console.log(`Admin bundle written to ${bundleFile()} (${config.adminBundleDir}) in ${Math.round(performance.now() - started)} ms`);
  process.exit(0);
}

main().catch((err: Error) => {
  console.error(`Admin bundle failed: ${err.message}`);
  process.exit(1);
});
