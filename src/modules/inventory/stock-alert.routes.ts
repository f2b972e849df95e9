import { ApiRouter } from '../../http/route.js';
import { idParams } from '../../shared/schemas.js';
import { AlertCheckSchema, alertList, alertListQuery, StockAlertSchema } from './inventory.schemas.js';
import { checkStockAlerts, listAlerts, resolveAlert } from './stock-alert.service.js';

export const stockAlertRoutes = new ApiRouter('/stock-alerts', 'Stock alerts')
  .get(
    '/',
    { operationId: 'listStockAlerts', summary: 'Stock alerts, newest first (filters: status, productId)', access: 'catalog:read', query: alertListQuery, response: alertList },
    ({ query }) => listAlerts(query),
  )
  .post(
    '/check',
    {
      operationId: 'checkStockAlerts',
      summary: 'Re-scan every product now: raise missing alerts, resolve recovered ones',
      description: 'Requires `stock:record`. New alerts are emailed through the mail outbox, queued with the alert (status `sent` once the mail server accepted it; retried with backoff while it fails).',
      access: 'stock:record',
      response: AlertCheckSchema,
    },
    () => checkStockAlerts(),
  )
  .post(
    '/:id/resolve',
    { operationId: 'resolveStockAlert', summary: 'Resolve an open alert by hand', access: 'stock:record', params: idParams, response: StockAlertSchema, errors: [409] },
    ({ params, actor }) => resolveAlert(params.id, actor),
  );
