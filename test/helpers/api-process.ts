/**
 * The API alone (no panel bundle) in its own process, for tests that kill it:
 * configured from the environment like the real server, it prints
 * `LISTENING <url>` once it accepts requests.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, useConfig } from '../../src/config/index.js';
import { createLogger, useLogger } from '../../src/shared/logger.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { buildApp } from '../../src/app.js';

const config = useConfig(loadConfig());
useLogger(createLogger(config.logLevel));
await prepareDatabase(config);
const server = buildApp(config).listen(config.port, '127.0.0.1', () => {
  console.log(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
