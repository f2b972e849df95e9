import { dashboardStats } from '../modules/analytics/dashboard.service.js';
import { listLowStock } from '../modules/inventory/low-stock.service.js';
import { listAlerts } from '../modules/inventory/stock-alert.service.js';
import { getSettings } from '../modules/settings/settings.service.js';
import { canReadCatalog } from './access.js';

/**
 * The dashboard's data in one round trip: the same figures as
 * GET /api/dashboard/stats plus the low-stock list and open alerts.
 */
export async function dashboardHandler(_request: unknown, _response: unknown, context: { currentAdmin?: Record<string, unknown> }) {
  if (!canReadCatalog({ currentAdmin: context.currentAdmin as never })) return { allowed: false };
  const [stats, lowStock, pending, sent, settings] = await Promise.all([
    dashboardStats(),
    listLowStock({ page: 1, limit: 8 }),
    listAlerts({ page: 1, limit: 8, status: 'pending' }),
    listAlerts({ page: 1, limit: 8, status: 'sent' }),
    getSettings(),
  ]);
  const alerts = [...pending.data, ...sent.data]
    .sort((a, b) => b.id - a.id)
    .slice(0, 8)
    .map((a) => {
      const product = (a as typeof a & { product?: { name?: string; sku?: string } }).product;
      return { id: a.id, productId: a.productId, productName: product?.name ?? `#${a.productId}`, status: a.status, stockAtAlert: a.stockAtAlert, threshold: a.threshold, createdAt: a.createdAt };
    });
  return {
    allowed: true,
    currency: settings.currency,
    companyName: settings.companyName,
    stats,
    lowStock: { total: lowStock.total, items: lowStock.data.map(({ id, sku, name, stock, threshold }) => ({ id, sku, name, stock, threshold })) },
    alerts: { total: pending.total + sent.total, items: alerts },
  };
}
