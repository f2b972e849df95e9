import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from '../shared/zod.js';

/** Every ApiRouter registers its routes here, from the same zod schemas that validate them. */
export const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

export const ErrorSchema = registry.register(
  'Error',
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
);

let cached: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

export function openApiDocument(version: string) {
  cached ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'StockPilot API',
      version,
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Inventory back office REST API. Errors always use the Error shape; lists return { data, page, limit, total }.',
    },
    servers: [{ url: '/' }],
  });
  return cached;
}
