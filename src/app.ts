import express, { type Express } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { requestLog } from './http/request-log.js';
import swaggerUi from 'swagger-ui-express';
import type { Config } from './config/index.js';
import { logger } from './shared/logger.js';
import { apiRouter } from './http/router.js';
import { apiNotFound, errorHandler } from './http/error-handler.js';
import { openApiDocument } from './http/openapi.js';
import { APP_VERSION } from './shared/version.js';
import { registerStockAlerts } from './modules/inventory/stock-alert.service.js';
import { watchCatalogueWrites } from './modules/products/product-cache.js';
import { watchDashboardWrites } from './modules/analytics/dashboard.service.js';
import { watchProductMoves } from './modules/analytics/sales-rollups.js';
import { watchCatalogWrites } from './modules/ai/analyst.builtin.js';
import { watchUserWrites } from './modules/auth/token.service.js';
import { fileStore } from './shared/file-store.js';

export interface BuildOptions {
  /** Mounted at /admin before the body parsers (the AdminJS panel). */
  admin?: express.Router;
}

/**
 * The AdminJS panel runs inline scripts and styles (and asks for Google Fonts,
 * which may fail offline); this looser policy applies under /admin only.
 */
const adminCsp = helmet({
  contentSecurityPolicy: {
    directives: {
      'script-src': ["'self'", "'unsafe-inline'"],
      'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
      'img-src': ["'self'", 'data:', 'blob:'],
      'upgrade-insecure-requests': null,
    },
  },
});

/**
 * The Express app without listen(): server.ts and the tests both start it.
 * It also wires what runs beside requests on the initialised models: the
 * read caches' invalidation and the after-commit stock alert check.
 */
export function buildApp(config: Readonly<Config>, options: BuildOptions = {}): Express {
  registerStockAlerts();
  watchCatalogueWrites();
  watchDashboardWrites();
  watchProductMoves();
  watchCatalogWrites();
  watchUserWrites();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'extended');
  // No ETag on generated responses (a SHA-1 of every JSON body, for 304s API clients do not ask for); files keep theirs.
  app.set('etag', false);

  app.use(requestLog(logger()));

  if (options.admin) app.use('/admin', adminCsp, options.admin);

  const strictCsp = helmet();
  app.use('/api/docs', helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } }));
  app.use('/api', (req, res, next) => (req.path.startsWith('/docs') ? next() : strictCsp(req, res, next)));
  app.use(
    '/api',
    cors({
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      exposedHeaders: ['X-Request-Id', 'Content-Disposition', 'RateLimit', 'RateLimit-Policy'],
      maxAge: 600,
    }),
  );
  app.use('/api', express.json({ limit: config.bodyLimit }));

  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerUrl: '/api/openapi.json', customSiteTitle: 'StockPilot API' }));
  app.use('/api', apiRouter());
  app.use('/api', apiNotFound);

  // UPLOAD_DIR or the S3 bucket (STORAGE): the same bytes, type and cache headers, 404 in the API's shape.
  app.use('/uploads', helmet(), fileStore().serve());

  app.get('/', (req, res) => {
    if (req.accepts(['text', 'html']) === 'html' && options.admin) res.redirect('/admin');
    else res.type('text/plain').send('API is running...');
  });

  app.use(errorHandler);
  void openApiDocument(APP_VERSION);
  return app;
}
