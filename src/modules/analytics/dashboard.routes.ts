import { ApiRouter } from '../../http/route.js';
import { DashboardStatsSchema } from './dashboard.schemas.js';
import { dashboardStats } from './dashboard.service.js';

export const dashboardRoutes = new ApiRouter('/dashboard', 'Dashboard').get(
  '/stats',
  { operationId: 'getDashboardStats', summary: 'Key figures: stock, this month, the last 12 months, top products', access: 'catalog:read', response: DashboardStatsSchema },
  () => dashboardStats(),
);
