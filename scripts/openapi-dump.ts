import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRouter } from '../src/http/router.js';
import { openApiDocument } from '../src/http/openapi.js';
import { APP_VERSION } from '../src/shared/version.js';

/**
 * Writes the document /api/openapi.json serves to a file (argument, or
 * stdout), for linters and client generators. Building the API router
 * registers every route; nothing listens and no database is opened.
 */
apiRouter();
const json = `${JSON.stringify(openApiDocument(APP_VERSION), null, 2)}\n`;
const file = process.argv[2];
if (file) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, json);
} else process.stdout.write(json);
