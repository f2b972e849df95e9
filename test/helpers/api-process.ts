/**
 * The API alone (no panel bundle) in its own process, for tests that kill it:
 * configured from the environment like the real server, it prints
 * `LISTENING <url>` once it accepts requests, and runs the mail outbox worker
 * as every instance does. With `KILL_AFTER_MAIL_QUEUED=1` it SIGKILLs itself
 * right after the first commit that queued mail, before its worker can claim
 * it (a crash between the commit and the send).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, useConfig } from '../../src/config/index.js';
import { createLogger, useLogger } from '../../src/shared/logger.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { buildApp } from '../../src/app.js';
import { onMailQueued, startMailWorker, WORKER_ID } from '../../src/modules/mail/outbox.service.js';

const config = useConfig(loadConfig());
useLogger(createLogger(config.logLevel));
await prepareDatabase(config);
// Subscribed before the worker, so it runs first: the process is gone before the worker is woken.
if (process.env.KILL_AFTER_MAIL_QUEUED === '1') onMailQueued(() => process.kill(process.pid, 'SIGKILL'));
const server = buildApp(config).listen(config.port, '127.0.0.1', () => {
  startMailWorker();
  console.log(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port} ${WORKER_ID}`);
});
