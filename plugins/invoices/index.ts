import { buildFeature, type FeatureType } from 'adminjs';
import { canExport } from '../../src/admin/access.js';
import { component } from '../../src/admin/component-loader.js';

const InvoiceDownload = component('InvoiceDownload', 'plugins/invoices/components/invoice-download');

/** Sale record action "Invoice PDF": starts the download from invoiceRouter. */
export function invoiceFeature(): FeatureType {
  return buildFeature({
    actions: {
      downloadInvoice: {
        actionType: 'record',
        icon: 'FileText',
        component: InvoiceDownload,
        isAccessible: canExport,
        isVisible: canExport,
        handler: async (_request, _response, context) => ({ record: context.record!.toJSON(context.currentAdmin) }),
      },
    },
  });
}

export { invoiceRouter } from './handlers/invoice-route.js';
