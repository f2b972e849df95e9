import type { AdminPages } from 'adminjs';
import { Components } from '../../src/admin/component-loader.js';
import { insightsPageHandler } from './handlers/insights-page.js';

/**
 * The "AI insights" page. AdminJS pages have no access predicate of their own,
 * so the handler checks the 'ai:use' right; every back-office role holds it,
 * which is why the page is listed in every sidebar.
 */
export function aiInsightsPages(): AdminPages {
  return {
    aiInsights: { component: Components.AiInsights, icon: 'Zap', handler: insightsPageHandler },
  };
}
