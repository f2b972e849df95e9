import { z } from '../shared/zod.js';
import { pingDatabase } from '../db/index.js';
import { ApiRouter } from './route.js';
import { openApiDocument } from './openapi.js';
import { isDraining } from './shutdown.js';
import { APP_VERSION } from '../shared/version.js';


const HealthSchema = z.object({ status: z.enum(['ok', 'error']), db: z.enum(['ok', 'down']), version: z.string() });
const ReadySchema = z.object({ status: z.enum(['ready', 'stopping']) });

export const systemRoutes = new ApiRouter('', 'System')
  .get('/health', { operationId: 'getHealth', summary: 'Liveness and database check (503 when the database is down)', access: 'public', response: HealthSchema, errors: [503] }, async ({ res }) => {
    const dbUp = await pingDatabase();
    res.status(dbUp ? 200 : 503).json({ status: dbUp ? 'ok' : 'error', db: dbUp ? 'ok' : 'down', version: APP_VERSION });
  })
  .get('/ready', { operationId: 'getReadiness', summary: 'Readiness: 503 once the instance is shutting down, so a load balancer drains it first', access: 'public', response: ReadySchema, errors: [503] }, ({ res }) => {
    const stopping = isDraining();
    res.status(stopping ? 503 : 200).json({ status: stopping ? 'stopping' : 'ready' });
  })
  .get(
    '/openapi.json',
    { operationId: 'getOpenApiDocument', summary: 'This OpenAPI 3.1 document', access: 'public', response: z.record(z.string(), z.unknown()) },
    () => openApiDocument(APP_VERSION),
  );
