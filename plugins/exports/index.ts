import { buildFeature, type FeatureType } from 'adminjs';
import { canExport } from '../../src/admin/access.js';
import { component } from '../../src/admin/component-loader.js';

const ExportCsv = component('ExportCsv', 'plugins/exports/components/export-csv');

/**
 * "Export CSV" on a list: a drawer action (so it keeps the list's filters in
 * its URL) whose component starts the streamed download from csvExportRouter.
 */
export function csvExportFeature(): FeatureType {
  return buildFeature({
    actions: {
      exportCsv: {
        actionType: 'resource',
        icon: 'Download',
        showInDrawer: true,
        component: ExportCsv,
        isAccessible: canExport,
        isVisible: canExport,
        handler: async () => ({}),
      },
    },
  });
}

export { csvExportRouter } from './handlers/export-route.js';
