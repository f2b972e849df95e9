import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { getConfig } from '../config/index.js';
import { PROJECT_ROOT } from '../shared/version.js';
import { NO_PLUGINS, type PanelPlugins } from './plugins.js';

export interface AdminPanel {
  router: Router;
  /** Resolves when the component bundle is ready to serve (immediately when prebuilt). */
  ready(): Promise<void>;
  prebuilt: boolean;
  close(): void;
}

/** The component bundle written by `npm run build` (scripts/build-admin.ts). */
export function bundleFile(dir = getConfig().adminBundleDir): string {
  return path.join(dir, 'bundle.js');
}

const COMPONENT_DIRS = ['src/admin/components', 'plugins'];

function newestComponent(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newestComponent(full) : /\.(jsx|tsx)$/.test(entry.name) ? statSync(full).mtimeMs : 0;
    }),
  );
}

/** A bundle newer than every component and the lock file can be served as is. */
export function bundleIsFresh(dir?: string): boolean {
  const bundle = bundleFile(dir);
  if (!existsSync(bundle)) return false;
  const lock = path.join(PROJECT_ROOT, 'package-lock.json');
  const sources = Math.max(...COMPONENT_DIRS.map((d) => newestComponent(path.join(PROJECT_ROOT, d))), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return statSync(bundle).mtimeMs > sources;
}

/** Waits for the bundle `npm start` builds alongside (ADMIN_BUNDLE_BUILDING); bundles here if it never comes. */
async function waitForBundle(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!bundleIsFresh() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
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
  // A fresh bundle from `npm run build` is served as is; a missing or stale one is rebuilt at start.
  const prebuilt = !options.forceBundle && bundleIsFresh();
  process.env.ADMIN_JS_TMP_DIR = config.adminBundleDir;
  process.env.ADMIN_JS_SKIP_BUNDLE = prebuilt ? 'true' : 'false';
  return prebuilt;
}

/**
 * Builds the panel router (mount it at /admin before the body parsers). The
 * plugins come from the caller as a loader (plugins/index.ts), imported only
 * after the bundle settings are exported, since they load AdminJS.
 */
export async function buildAdmin(options: { forceBundle?: boolean; plugins?: () => Promise<PanelPlugins> } = {}): Promise<AdminPanel> {
  if (!options.forceBundle && getConfig().adminBundleBuilding) await waitForBundle();
  const prebuilt = exportBundleSettings({ forceBundle: options.forceBundle ?? false });
  const { createPanel } = await import('./panel.js');
  return createPanel({ prebuilt, plugins: options.plugins ? await options.plugins() : NO_PLUGINS });
}
