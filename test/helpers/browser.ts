import os from 'node:os';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildAdmin, type AdminPanel } from '../../src/admin/index.js';
import type { Role } from '../../src/shared/rights.js';
import type { User } from '../../src/modules/users/user.model.js';
import { startTestApp, type TestApp } from './test-app.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Component bundle shared by the browser test files of one run (node --test
 * runs each file as a child of one runner, hence the parent pid): bundled once,
 * on the first page, from the current sources.
 */
export const TEST_BUNDLE_DIR = path.join(os.tmpdir(), `stockpilot-admin-bundle-${process.ppid}`);

export interface PanelApp extends TestApp {
  panel: AdminPanel;
}

/**
 * The real app with the AdminJS panel mounted. The panel needs the database
 * (session store), which startTestApp prepares, so /admin is wired through a
 * router that hands over to the panel once it is built.
 */
export async function startPanelApp(env: Record<string, string> = {}): Promise<PanelApp> {
  const mounted: { panel?: AdminPanel } = {};
  const gate = express.Router();
  gate.use((req: Request, res: Response, next: NextFunction) => (mounted.panel ? mounted.panel.router(req, res, next) : res.status(503).send('panel starting')));
  const app = await startTestApp({ ADMIN_JS_TMP_DIR: TEST_BUNDLE_DIR, ...env }, { admin: gate });
  const mount = async () => {
    const panel = await buildAdmin({ plugins: async () => (await import('../../plugins/index.js')).panelPlugins() });
    await panel.ready();
    mounted.panel = panel;
    return panel;
  };
  const started: PanelApp = {
    ...app,
    panel: await mount(),
    /** A restart as after a deploy: a new panel (new session store) on the same database and port. */
    async restart() {
      started.panel.close();
      mounted.panel = undefined;
      await app.restart();
      started.panel = await mount();
    },
    async close() {
      started.panel.close();
      await app.close();
    },
  };
  return started;
}

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own cookies) with a page that records page and console errors. */
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Offline, the panel's Google Fonts request fails; that is the only noise tolerated. */
const harmless = (text: string) => /fonts\.(googleapis|gstatic)\.com/.test(text) || /Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|CONNECTION_REFUSED|TIMED_OUT|ADDRESS_UNREACHABLE)/.test(text);

export async function launchBrowser(): Promise<TestBrowser> {
  // launch() gives Chromium a fresh temporary profile (user-data-dir) of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !harmless(`${msg.text()} ${msg.location().url}`)) errors.push(`console: ${msg.text()} (${msg.location().url})`);
      });
      return { context, page, errors };
    },
    async close() {
      await browser.close();
    },
  };
}

/** Signs in through the real login form (its button has no type=submit). */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Login' }).click()]);
}

/** Creates a product through the REST API as the bootstrap admin and returns its id. */
export async function createProduct(app: TestApp, fields: Record<string, unknown>): Promise<number> {
  const res = await app.http('POST', '/api/products', { token: app.adminToken, body: fields });
  if (res.status !== 201) throw new Error(`product not created: ${res.status} ${res.text}`);
  return res.body.id as number;
}

/** One user per role, all with `password`, keyed by role. */
export async function usersWithRoles<R extends Role>(app: TestApp, roles: readonly R[], password: string): Promise<Record<R, User>> {
  const users = {} as Record<R, User>;
  for (const role of roles) users[role] = (await app.userWithRole(role, { password })).user;
  return users;
}
