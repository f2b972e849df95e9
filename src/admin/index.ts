import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { getConfig } from '../config/index.js';

export interface AdminPanel {
  router: Router;
  /** Resolves when the component bundle is ready to serve (immediately when prebuilt). */
  ready(): Promise<void>;
  prebuilt: boolean;
  close(): void;
}

/** The component bundle written by `npm run build` (scripts/build-admin.ts). */
export function bundleFile(): string {
  return path.join(getConfig().adminBundleDir, 'bundle.js');
}

/**
 * AdminJS reads its bundle folder (and whether to skip bundling) from
 * process.env when its modules are first evaluated, so this is the one place
 * besides loadConfig that touches the environment: it copies the parsed
 * config into the variables AdminJS expects, then loads AdminJS.
 * The folder has no leading dot: Express 5 answers 404 through dot-folders.
 */
function exportBundleSettings(options: { forceBundle: boolean }): boolean {
  const config = getConfig();
  const prebuilt = !options.forceBundle && config.isProduction && existsSync(bundleFile());
  // In development a leftover bundle would be served as is: drop it so the first page bundles current sources.
  if (config.env === 'development') rmSync(bundleFile(), { force: true });
  process.env.ADMIN_JS_TMP_DIR = config.adminBundleDir;
  process.env.ADMIN_JS_SKIP_BUNDLE = prebuilt ? 'true' : 'false';
  return prebuilt;
}

/** Builds the panel router (mount it at /admin before the body parsers). */
export async function buildAdmin(options: { forceBundle?: boolean } = {}): Promise<AdminPanel> {
  const prebuilt = exportBundleSettings({ forceBundle: options.forceBundle ?? false });
  const { createPanel } = await import('./panel.js');
  return createPanel({ prebuilt });
}
