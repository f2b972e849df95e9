import type { AdminPages } from 'adminjs';
import { component } from '../../src/admin/component-loader.js';

const AiInsights = component('AiInsights', 'plugins/ai-insights/components/ai-insights');
import { insightsPageHandler } from './handlers/insights-page.js';

/**
 * The "AI insights" page. AdminJS pages have no access predicate of their own,
 * so the handler checks the 'ai:use' right; every back-office role holds it,
 * which is why the page is listed in every sidebar.
 */
export function aiInsightsPages(): AdminPages {
  return {
    aiInsights: { component: AiInsights, icon: 'Zap', handler: insightsPageHandler },
  };
}
