import path from 'node:path';
import { startMailWorker, stopMailWorker } from './modules/mail/outbox.service.js';
import { ConfigError, loadConfig, useConfig } from './config/index.js';
import { buildApp } from './app.js';
import { prepareDatabase } from './bootstrap.js';
import { buildAdmin } from './admin/index.js';
import { closeDatabase } from './db/index.js';
import { createClosingServer } from './http/shutdown.js';
import { closeMailer } from './shared/mailer.js';
import { closeRedis } from './shared/redis.js';
import { closeFileStore, fileStore } from './shared/file-store.js';
import { createLogger, useLogger } from './shared/logger.js';
import { warmUp } from './modules/ai/nlu/classifier.js';

/** SIGTERM to exit, at most (API.md): the grace period, then the drain, then the clean-up below. */
const SHUTDOWN_LIMIT_MS = 10_000;
/** Kept for after-commit work, the mailer, Redis and the database (its close waits 2 s at most). */
const CLEANUP_RESERVE_MS = 2_500;

async function main() {
  let config;
  try {
    config = useConfig(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = useLogger(createLogger(config.logLevel));
  const boot = await prepareDatabase(config);
  // Instances started together: one migrates and seeds, the others wait for its lock and find it done.
  log.info({ migrationsApplied: boot.appliedMigrations.length, adminCreated: boot.adminCreated, seeded: boot.seeded }, 'database prepared');
  // The bucket is created when missing; a store that does not answer yet only costs the uploads (503) until it does.
  void fileStore()
    .prepare()
    .catch((err: Error) => log.warn({ err: err.message, storage: config.storage.kind }, 'file store not ready'));
  // The panel is usable once its component bundle exists: prebuilt by `npm run build`, else bundled now.
  const admin = await buildAdmin({ plugins: async () => (await import('../plugins/index.js')).panelPlugins() });
  await admin.ready();
  const app = buildApp(config, { admin: admin.router });
  const { server, close } = createClosingServer(app);
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  startMailWorker();
  // The analyst's classifier trains in the background now rather than on the first question.
  warmUp();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;

  const lines = [
    '',
    // Since process start, module loading included: the panel (and its bundle) is usable from here on.
    `StockPilot is running at ${url} (ready in ${Math.round(process.uptime() * 1000)} ms)`,
    `  API:          ${url}/api   (docs: ${url}/api/docs)`,
    `  Admin panel:  ${url}/admin   (${admin.prebuilt ? 'prebuilt bundle' : 'bundled at start'})`,
    `  Sign in:      ${config.adminEmail} / ${config.adminPasswordGenerated ? config.adminPassword : '(the ADMIN_PASSWORD you set)'}`,
    ...(config.adminPasswordGenerated ? [`                (generated once and kept in ${path.join(config.dataDir, 'secrets.json')}; set ADMIN_PASSWORD to choose your own)`] : []),
    ...(boot.seeded ? ['  Demo data:    seeded (suppliers, products, six months of sales and purchases)'] : []),
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (signal: 'SIGTERM' | 'SIGINT') => {
    if (stopping) return;
    stopping = true;
    // SIGTERM comes from a supervisor with a balancer to tell (not-ready first); Ctrl-C in a terminal drains at once.
    const graceMs = signal === 'SIGTERM' ? config.shutdownGraceMs : 0;
    const drainMs = SHUTDOWN_LIMIT_MS - CLEANUP_RESERVE_MS - graceMs;
    log.info({ signal, graceMs, drainMs }, 'shutting down: not ready, serving on for the grace period, then finishing in-flight requests');
    const force = setTimeout(() => {
      log.warn(`forcing shutdown after ${SHUTDOWN_LIMIT_MS / 1000} s`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    // No new mail is claimed (other instances, or the next start, send what is queued); sends in flight may finish.
    const mailStopped = stopMailWorker(4_000);
    const { cut } = await close({ graceMs, drainMs });
    if (cut) log.warn({ cut, drainMs }, 'requests still running after the drain time were cut');
    admin.close();
    await mailStopped;
    closeMailer();
    await closeRedis();
    closeFileStore();
    await Promise.race([closeDatabase(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    log.info('shutdown complete');
    log.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: Error) => {
  console.error(`StockPilot failed to start: ${err.message}`);
  process.exit(1);
});
